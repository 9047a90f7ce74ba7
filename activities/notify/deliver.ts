import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../../db/client.js';
import { notifications, webhooks } from '../../db/schema.js';

export type Mailer = Pick<Transporter, 'sendMail'>;

export type DeliveryDeps = {
  db: Database;
  /** undefined: no SMTP server configured, mail is recorded as skipped. */
  mailer: Mailer | undefined;
  mailFrom: string;
  /** Consecutive failed deliveries after which a webhook is disabled. */
  webhookFailureLimit: number;
  fetch?: typeof fetch;
};

export type DeliveryResult = { sent: number; failed: number; skipped: number };

/** An SMTP 5xx reply is the server's final word on that message (no such mailbox); anything else may pass. */
const permanentMailError = (err: unknown): boolean => {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * Sends the pending rows of one source. A row already sent is never picked again, so a retried or replayed
 * activity sends only what is missing. Transient failures are kept for the next attempt and make the
 * activity fail, so Temporal retries it with backoff.
 */
export async function deliverNotifications(deps: DeliveryDeps, source: string): Promise<DeliveryResult> {
  const { db } = deps;
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.source, source), inArray(notifications.status, ['pending', 'retrying'])))
    .orderBy(notifications.createdAt);
  const result: DeliveryResult = { sent: 0, failed: 0, skipped: 0 };
  let transient = 0;
  const mark = (id: string, set: Partial<typeof notifications.$inferInsert>) =>
    db
      .update(notifications)
      .set({ ...set, attempts: sql`${notifications.attempts} + 1`, lastAttemptAt: new Date() })
      .where(eq(notifications.id, id));

  for (const row of rows) {
    heartbeat(row.id);
    if (row.channel === 'email') {
      if (!deps.mailer) {
        await mark(row.id, { status: 'skipped', lastError: 'No SMTP server is configured (SMTP_URL).' });
        result.skipped++;
        continue;
      }
      try {
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: row.address,
          subject: row.subject,
          text: row.bodyText,
          ...(row.bodyHtml ? { html: row.bodyHtml } : {}),
          // The same message id on every attempt lets a mail system drop a copy resent after a lost reply.
          messageId: `<${row.id}@directive-tracker>`,
          headers: row.directiveId ? { 'X-Directive-Id': row.directiveId } : {},
        });
        await mark(row.id, { status: 'sent', sentAt: new Date(), lastError: null });
        result.sent++;
      } catch (err) {
        const permanent = permanentMailError(err);
        await mark(row.id, { status: permanent ? 'failed' : 'retrying', lastError: describe(err) });
        if (permanent) result.failed++;
        else transient++;
      }
      continue;
    }

    const [hook] = row.webhookId ? await db.select().from(webhooks).where(eq(webhooks.id, row.webhookId)) : [];
    if (!hook || !hook.active) {
      await mark(row.id, { status: 'skipped', lastError: hook ? 'The webhook is disabled.' : 'The webhook was removed.' });
      result.skipped++;
      continue;
    }
    const error = await postWebhook(deps, hook, row.id, row.bodyText);
    if (!error) {
      await db.update(webhooks).set({ consecutiveFailures: 0, lastDeliveryAt: new Date(), lastError: null }).where(eq(webhooks.id, hook.id));
      await mark(row.id, { status: 'sent', sentAt: new Date(), lastError: null });
      result.sent++;
      continue;
    }
    const [after] = await db
      .update(webhooks)
      .set({ consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`, lastError: error })
      .where(eq(webhooks.id, hook.id))
      .returning({ failures: webhooks.consecutiveFailures });
    if ((after?.failures ?? 0) >= deps.webhookFailureLimit) {
      await db.update(webhooks).set({ active: false, disabledAt: new Date() }).where(eq(webhooks.id, hook.id));
      await mark(row.id, { status: 'failed', lastError: `${error}; the webhook was disabled after ${after?.failures} failures in a row.` });
      result.failed++;
    } else {
      await mark(row.id, { status: 'retrying', lastError: error });
      transient++;
    }
  }
  if (transient > 0) {
    throw ApplicationFailure.retryable(`${transient} of ${rows.length} notifications of ${source} are not delivered yet; retrying.`, 'DeliveryPending');
  }
  return result;
}

/** POSTs a signed payload (Standard Webhooks); returns why it failed, or null. */
async function postWebhook(deps: DeliveryDeps, hook: { url: string; secret: string }, messageId: string, body: string): Promise<string | null> {
  const timestamp = new Date();
  const signature = new Webhook(hook.secret).sign(messageId, timestamp, body);
  try {
    const res = await (deps.fetch ?? fetch)(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status} from ${hook.url}`;
  } catch (err) {
    return `${describe(err)} (${hook.url})`;
  }
}
