import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { idempotencyKeys } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type Claim = { resourceId: string; replayed: boolean };

/**
 * The first request with a key claims a resource id; a retry with the same key and body gets the same id,
 * the same key with another body is refused (IETF draft "The Idempotency-Key HTTP Header Field").
 */
export async function claimIdempotencyKey(
  db: Database,
  args: { scope: string; key: string; request: unknown; newResourceId: string },
): Promise<Claim> {
  const requestHash = createHash('sha256').update(JSON.stringify(args.request)).digest('hex');
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ scope: args.scope, key: args.key, requestHash, resourceId: args.newResourceId })
    .onConflictDoNothing()
    .returning({ resourceId: idempotencyKeys.resourceId });
  if (inserted.length > 0) return { resourceId: args.newResourceId, replayed: false };
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, args.scope), eq(idempotencyKeys.key, args.key)));
  if (!existing) throw new ServiceFailure(FailureType.Conflict, 'The Idempotency-Key is being claimed concurrently; retry.');
  if (existing.requestHash !== requestHash) {
    throw new ServiceFailure(FailureType.IdempotencyKeyReused, 'This Idempotency-Key was already used with a different request body.', 'idempotency-key-reused');
  }
  return { resourceId: existing.resourceId, replayed: true };
}

/**
 * The id a create works on: a fresh one, or with a key the one its first request claimed. `replayed` tells
 * the caller to answer with what exists instead of creating it again.
 */
export async function claimFor(db: Database, scope: string, key: string | undefined, request: unknown): Promise<Claim> {
  const fresh = crypto.randomUUID();
  if (!key) return { resourceId: fresh, replayed: false };
  return claimIdempotencyKey(db, { scope, key, request, newResourceId: fresh });
}
