import { Context, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { fetch, type Agent } from 'undici';
import type { Database } from '../../db/database.js';
import { isDatabaseUnreachable } from '../../db/client.js';
import { notifications, webhooks } from '../../db/schema.js';
import { UNSENT_STATUSES } from '../../domain/lists.js';
import { literalTarget } from '../../domain/webhook-targets.js';
import { refusedTargetIn, vettedAgent } from './vetted-agent.js';

export type Mailer = Pick<Transporter, 'sendMail'>;

/** What one delivery run did; the delivery workflow returns it. */
export type DeliveryResult = { sent: number; failed: number; skipped: number };

export type DeliveryDeps = {
  db: Database;
  /** undefined: no SMTP server configured, mail is recorded as skipped. */
  mailer: Mailer | undefined;
  mailFrom: string;
  /** A webhook is disabled after this many failed deliveries in a row… */
  webhookFailureLimit: number;
  /** …that have gone on for at least this long. */
  webhookDisableAfterSeconds: number;
  /** Webhooks may reach loopback, private and link-local addresses. */
  allowPrivateWebhookTargets?: boolean;
};

let vetted: Agent | undefined;
/** One pool of vetted connections for the process, made when a first webhook needs it. */
const vettedConnections = (): Agent => (vetted ??= vettedAgent());

/**
 * Only a recipient the server refuses (550 no such mailbox, in reply to RCPT TO) is final for that message.
 * Anything else (a wrong password, a relay refused, a server down) is the configuration or the network,
 * fixed later, so the message waits and is retried.
 */
const permanentMailError = (err: unknown): boolean => {
  const e = err as { code?: string; responseCode?: number; command?: string };
  return e.code === 'EENVELOPE' && e.command === 'RCPT TO' && typeof e.responseCode === 'number' && e.responseCode >= 550 && e.responseCode < 560;
};

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** Long enough for one message's SMTP exchange or POST; an attempt that dies frees its row after this. */
const LEASE_SECONDS = 30;

type Row = typeof notifications.$inferSelect;

/**
 * Takes the next pending row of a source for this attempt: one attempt per row at a time, even when
 * Temporal starts a new attempt while an old one is still running, or a digest is delivered twice at once.
 */
async function claimNext(db: Database, source: string, done: string[]): Promise<Row | undefined> {
  const [row] = await db
    .update(notifications)
    .set({
      leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
      // A lease still set was never given back: the attempt holding it ended without saying how it went.
      resentInDoubt: sql`${notifications.resentInDoubt} + (${notifications.leaseUntil} is not null)::int`,
    })
    .where(
      eq(
        notifications.id,
        sql`(select ${notifications.id} from ${notifications}
              where ${notifications.source} = ${source}
                and ${inArray(notifications.status, UNSENT_STATUSES)}
                and (${notifications.leaseUntil} is null or ${notifications.leaseUntil} < now())
                ${done.length ? sql`and ${notifications.id} not in (${sql.join(done.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
              order by ${notifications.createdAt}, ${notifications.id}
              limit 1
              for update skip locked)`,
      ),
    )
    .returning();
  return row;
}

/**
 * Sends the pending rows of one source. A row already sent is never taken again, so a retried or replayed
 * activity sends only what is missing. Transient failures are kept for the next attempt and make the
 * activity fail, so Temporal retries it with backoff; so do rows another attempt still holds.
 */
/** How long one attempt keeps trying to record a delivery while the database is out of reach. */
const MARK_RETRY_MS = 90_000;

/** What a delivery attempt heartbeats: the row in hand, and rows delivered but not yet recorded as such. */
type DeliveryProgress = { row: string; delivered: string[] };

function deliveredBefore(): string[] {
  const details = Context.current().info.heartbeatDetails as Partial<DeliveryProgress> | undefined;
  return Array.isArray(details?.delivered) ? details.delivered.filter((id): id is string => typeof id === 'string') : [];
}

export async function deliverNotifications(deps: DeliveryDeps, source: string): Promise<DeliveryResult> {
  const { db } = deps;
  const result: DeliveryResult = { sent: 0, failed: 0, skipped: 0 };
  const done: string[] = [];
  let transient = 0;
  const mark = (id: string, set: Partial<typeof notifications.$inferInsert>) =>
    db
      .update(notifications)
      .set({ ...set, attempts: sql`${notifications.attempts} + 1`, lastAttemptAt: new Date(), leaseUntil: null })
      .where(eq(notifications.id, id));

  // Rows an earlier attempt delivered but could not mark (the database was out of reach): marked, not resent.
  const delivered = new Set<string>(deliveredBefore());
  const progress = (row: string) => heartbeat({ row, delivered: [...delivered] } satisfies DeliveryProgress);
  /**
   * Records a delivery that happened. A database out of reach must not turn it into a second delivery: the
   * write is retried here while the attempt lasts, and the row is named in the heartbeat so that a next
   * attempt marks it instead of sending it again.
   */
  const markDelivered = async (id: string) => {
    delivered.add(id);
    // Named at once, before the first write: a write that hangs on a cut connection (10–25 s in the fault run)
    // outlasts the heartbeat timeout, and the attempt the server starts instead must know this one was sent.
    progress(id);
    const giveUpAt = Date.now() + MARK_RETRY_MS;
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await mark(id, { status: 'sent', sentAt: new Date(), lastError: null });
        delivered.delete(id);
        return;
      } catch (err) {
        if (!isDatabaseUnreachable(err) || Date.now() > giveUpAt) throw err;
        progress(id);
        await Context.current().sleep(wait);
      }
    }
  };
  for (const id of [...delivered]) await markDelivered(id);

  for (let row = await claimNext(db, source, done); row; row = await claimNext(db, source, done)) {
    done.push(row.id);
    progress(row.id);
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
      } catch (err) {
        const permanent = permanentMailError(err);
        await mark(row.id, { status: permanent ? 'failed' : 'retrying', lastError: describe(err) });
        if (permanent) result.failed++;
        else transient++;
        continue;
      }
      await markDelivered(row.id);
      result.sent++;
      continue;
    }

    const [hook] = row.webhookId ? await db.select().from(webhooks).where(eq(webhooks.id, row.webhookId)) : [];
    if (!hook || !hook.active) {
      // Kept, not dropped: re-enabling the webhook sends it.
      await mark(row.id, { status: 'skipped', lastError: hook ? 'The webhook is disabled.' : 'The webhook was removed.' });
      result.skipped++;
      continue;
    }
    const error = await postWebhook(deps, hook, row.id, row.bodyText);
    if (!error) {
      await markDelivered(row.id);
      await db.update(webhooks).set({ consecutiveFailures: 0, failingSince: null, lastDeliveryAt: new Date(), lastError: null }).where(eq(webhooks.id, hook.id));
      result.sent++;
      continue;
    }
    const [after] = await db
      .update(webhooks)
      .set({
        consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
        failingSince: sql`coalesce(${webhooks.failingSince}, now())`,
        lastError: error,
      })
      .where(eq(webhooks.id, hook.id))
      .returning({ failures: webhooks.consecutiveFailures, failingFor: sql<number>`extract(epoch from now() - ${webhooks.failingSince})::float8` });
    // A receiver being redeployed fails a few times in a row; only one failing for a while is switched off.
    if ((after?.failures ?? 0) >= deps.webhookFailureLimit && (after?.failingFor ?? 0) >= deps.webhookDisableAfterSeconds) {
      await db.update(webhooks).set({ active: false, disabledAt: new Date() }).where(eq(webhooks.id, hook.id));
      await mark(row.id, { status: 'skipped', lastError: `${error}; the webhook was disabled after ${after?.failures} failures in a row.` });
      result.skipped++;
    } else {
      await mark(row.id, { status: 'retrying', lastError: error });
      transient++;
    }
  }
  const [held] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.source, source), inArray(notifications.status, UNSENT_STATUSES), isNotNull(notifications.leaseUntil)))
    .limit(1);
  if (transient > 0 || held) {
    throw ApplicationFailure.retryable(`Notifications of ${source} are not all delivered yet; retrying.`, 'DeliveryPending');
  }
  return result;
}

/** POSTs a signed payload (Standard Webhooks); returns why it failed, or null. */
async function postWebhook(deps: DeliveryDeps, hook: { url: string; secret: string }, messageId: string, body: string): Promise<string | null> {
  // A literal address is checked here; a name is checked by the dispatcher as it connects, on the addresses it connects to.
  const target = literalTarget(hook.url, deps.allowPrivateWebhookTargets ?? false);
  if (target.problem !== null) return `refused target: ${target.problem}`;
  const timestamp = new Date();
  const signature = new Webhook(hook.secret).sign(messageId, timestamp, body);
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      // Given up when Temporal cancels the attempt (its heartbeat timed out), not only on the timeout.
      signal: AbortSignal.any([AbortSignal.timeout(10_000), Context.current().cancellationSignal]),
      redirect: 'manual',
      ...(deps.allowPrivateWebhookTargets ? {} : { dispatcher: vettedConnections() }),
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status} from ${hook.url}`;
  } catch (err) {
    const refused = refusedTargetIn(err);
    if (refused) return `refused target: ${refused.message}`;
    return `${describe(err)} (${hook.url})`;
  }
}
