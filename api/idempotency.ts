import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { idempotencyKeys } from '../db/schema.js';
import { ApiProblem } from './problem.js';

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
  if (!existing) throw new ApiProblem(409, { detail: 'The Idempotency-Key is being claimed concurrently; retry.' });
  if (existing.requestHash !== requestHash) {
    throw new ApiProblem(422, {
      slug: 'idempotency-key-reused',
      detail: 'This Idempotency-Key was already used with a different request body.',
    });
  }
  return { resourceId: existing.resourceId, replayed: true };
}
