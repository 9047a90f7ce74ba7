import { lookup } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { agencies, notifications, webhooks } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { NotificationChannel, NotificationKind, NotificationStatus } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { afterCursor, nextCursorOf } from './cursor.js';
import { claimFor } from './idempotency.js';
import { redeliver } from '../temporal/client.js';
import { webhookTargetProblem } from '../domain/webhook-targets.js';

export type WebhookView = {
  id: string;
  agencyId: string;
  url: string;
  active: boolean;
  consecutiveFailures: number;
  failingSince: string | null;
  disabledAt: string | null;
  lastError: string | null;
  lastDeliveryAt: string | null;
  createdAt: string;
};

export type NotificationView = {
  id: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  status: NotificationStatus;
  directiveId: string | null;
  recipientUserId: string | null;
  webhookId: string | null;
  address: string;
  language: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  sentAt: string | null;
};

export type NotificationQuery = {
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  directiveId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

const listColumns = {
  id: notifications.id,
  kind: notifications.kind,
  channel: notifications.channel,
  status: notifications.status,
  directiveId: notifications.directiveId,
  recipientUserId: notifications.recipientUserId,
  webhookId: notifications.webhookId,
  address: notifications.address,
  language: notifications.language,
  subject: notifications.subject,
  attempts: notifications.attempts,
  lastError: notifications.lastError,
  createdAt: notifications.createdAt,
  lastAttemptAt: notifications.lastAttemptAt,
  sentAt: notifications.sentAt,
};

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const webhookView = ({ secret: _secret, ...w }: typeof webhooks.$inferSelect): WebhookView => ({
  ...w,
  disabledAt: iso(w.disabledAt),
  failingSince: iso(w.failingSince),
  lastDeliveryAt: iso(w.lastDeliveryAt),
  createdAt: w.createdAt.toISOString(),
});

/** Agencies' webhook endpoints, managed by admins; the signing secret is shown when created or rotated, never again. */
export function webhookService({ db, temporal, config }: ServiceDeps) {
  /** A URL the worker may call: http(s), and (unless the operator allows it) a public address. */
  const checkTarget = async (url: string) => {
    const problem = await webhookTargetProblem(url, { allowPrivate: config.notify?.webhookAllowPrivateTargets ?? false, lookup: (host) => lookup(host, { all: true }).then((all) => all.map((a) => a.address)) });
    if (problem) throw new ServiceFailure(FailureType.Invalid, `This webhook target is refused: ${problem}.`, 'webhook-target-refused', [{ location: 'body', pointer: '/url', message: problem }]);
  };
  const find = async (id: string) => {
    const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
    if (!row) throw new ServiceFailure(FailureType.NotFound, `No webhook ${id}.`);
    return row;
  };

  return {
    async list(principal: Principal): Promise<WebhookView[]> {
      requirePermission(principal, 'administer');
      return (await db.select().from(webhooks).orderBy(webhooks.createdAt)).map(webhookView);
    },

    /** A retry with the same key answers with the webhook the first request made, without its secret. */
    async create(principal: Principal, body: { agencyId: string; url: string }, retry: { idempotencyKey?: string | undefined } = {}): Promise<{ webhook: WebhookView; secret: string | null; replayed: boolean }> {
      requirePermission(principal, 'administer');
      const claim = await claimFor(db, `POST /v1/webhooks ${principal.userId}`, retry.idempotencyKey, body);
      const [existing] = claim.replayed ? await db.select().from(webhooks).where(eq(webhooks.id, claim.resourceId)) : [];
      if (existing) return { webhook: webhookView(existing), secret: null, replayed: true };
      await checkTarget(body.url);
      const [agency] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, body.agencyId));
      if (!agency) {
        throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer: '/agencyId', message: `No agency ${body.agencyId}` }]);
      }
      const [row] = await db.insert(webhooks).values({ id: claim.resourceId, agencyId: body.agencyId, url: body.url, secret: newSecret() }).returning();
      return { webhook: webhookView(row!), secret: row!.secret, replayed: false };
    },

    /** `active: true` re-enables a disabled webhook, clears its failures and sends what it held back. */
    async update(principal: Principal, id: string, patch: { url?: string | undefined; active?: boolean | undefined }): Promise<WebhookView> {
      requirePermission(principal, 'administer');
      await find(id);
      const set: Partial<typeof webhooks.$inferInsert> = {};
      if (patch.url !== undefined) {
        await checkTarget(patch.url);
        set.url = patch.url;
      }
      if (patch.active === true) Object.assign(set, { active: true, consecutiveFailures: 0, failingSince: null, disabledAt: null });
      if (patch.active === false) Object.assign(set, { active: false, disabledAt: new Date() });
      if (Object.keys(set).length === 0) return webhookView(await find(id));
      const [row] = await db.update(webhooks).set(set).where(eq(webhooks.id, id)).returning();
      if (patch.active === true) {
        const requeued = await db
          .update(notifications)
          .set({ status: 'pending', leaseUntil: null })
          .where(and(eq(notifications.webhookId, id), inArray(notifications.status, ['skipped', 'failed'])))
          .returning({ source: notifications.source });
        for (const source of new Set(requeued.map((r) => r.source))) await redeliver(temporal, config.temporal.taskQueue, source);
      }
      return webhookView(row!);
    },

    async rotateSecret(principal: Principal, id: string): Promise<{ webhook: WebhookView; secret: string }> {
      requirePermission(principal, 'administer');
      await find(id);
      const [row] = await db.update(webhooks).set({ secret: newSecret() }).where(eq(webhooks.id, id)).returning();
      return { webhook: webhookView(row!), secret: row!.secret };
    },

    /** Its past deliveries stay listed. */
    async remove(principal: Principal, id: string): Promise<void> {
      requirePermission(principal, 'administer');
      await find(id);
      await db.delete(webhooks).where(eq(webhooks.id, id));
    },
  };
}

/** Every notification's delivery status: admins see all, everyone else what was addressed to them. */
export function notificationService({ db }: ServiceDeps) {
  return {
    async list(principal: Principal, q: NotificationQuery): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
      const where: Array<SQL | undefined> = [
        principal.role === 'admin' ? undefined : eq(notifications.recipientUserId, principal.userId),
        q.status ? eq(notifications.status, q.status) : undefined,
        q.channel ? eq(notifications.channel, q.channel) : undefined,
        q.directiveId ? eq(notifications.directiveId, q.directiveId) : undefined,
        q.cursor ? afterCursor(q.cursor, notifications.createdAt, notifications.id) : undefined,
      ];
      // The message bodies stay in the table: a status list never needs them.
      const rows = await db
        .select(listColumns)
        .from(notifications)
        .where(and(...where))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(q.limit + 1);
      return {
        items: rows.slice(0, q.limit).map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), lastAttemptAt: iso(r.lastAttemptAt), sentAt: iso(r.sentAt) })),
        nextCursor: nextCursorOf(rows, q.limit, (r) => ({ t: r.createdAt.toISOString(), id: r.id })),
      };
    },
  };
}
