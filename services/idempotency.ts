import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { idempotencyKeys } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type Claim = { resourceId: string; replayed: boolean };

const requestHashOf = (request: unknown): string => createHash('sha256').update(JSON.stringify(request)).digest('hex');

/**
 * The first request with a key claims a resource id; a retry with the same key and body gets the same id,
 * the same key with another body is refused (IETF draft "The Idempotency-Key HTTP Header Field").
 */
export async function claimIdempotencyKey(
  db: Database | Tx,
  args: { scope: string; key: string; request: unknown; newResourceId: string },
): Promise<Claim> {
  const requestHash = requestHashOf(args.request);
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

/** The scope of the ids a claimed resource's parts were given, apart from every door's own scope. */
const PARTS_SCOPE = 'parts of';

/**
 * The id a create with parts works on (a conference and its directives), and an id for each part: fresh ones,
 * or with a key those its first request was given, read back from where they were kept, never derived from the
 * resource's id (which others may see). The claim and its parts are kept in one transaction, so a claim without
 * parts (`parts: null`) was made before parts were kept with it: the caller derives them as it did then.
 */
export async function claimWithParts(
  db: Database,
  scope: string,
  key: string | undefined,
  request: unknown,
  count: number,
): Promise<Claim & { parts: string[] | null }> {
  const fresh = () => Array.from({ length: count }, () => crypto.randomUUID());
  if (!key) return { resourceId: crypto.randomUUID(), replayed: false, parts: fresh() };
  return db.transaction(async (tx) => {
    const claim = await claimIdempotencyKey(tx, { scope, key, request, newResourceId: crypto.randomUUID() });
    const keys = Array.from({ length: count }, (_, i) => `${claim.resourceId}/${i}`);
    if (!claim.replayed) {
      const parts = fresh();
      if (count > 0) await tx.insert(idempotencyKeys).values(parts.map((resourceId, i) => ({ scope: PARTS_SCOPE, key: keys[i]!, requestHash: requestHashOf(request), resourceId })));
      return { ...claim, parts };
    }
    const kept = count > 0 ? await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, PARTS_SCOPE), inArray(idempotencyKeys.key, keys))) : [];
    if (kept.length === 0) return { ...claim, parts: null };
    return { ...claim, parts: keys.map((k) => kept.find((r) => r.key === k)!.resourceId) };
  });
}
