import { and, eq, isNull } from 'drizzle-orm';
import { hashToken } from '../db/bootstrap.js';
import type { Database } from '../db/database.js';
import { users } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { Role } from '../domain/lists.js';
import type { Principal } from './context.js';
import { MAY, may, type Permission } from '../domain/policy.js';

/** The user a bearer token belongs to, unless it was revoked. */
export async function principalForToken(db: Database, token: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({ userId: users.id, name: users.name, role: users.role, agencyId: users.agencyId })
    .from(users)
    .where(and(eq(users.tokenHash, hashToken(token)), isNull(users.revokedAt)))
    .limit(1);
  return row;
}

export const rolesFor = (what: Permission): readonly Role[] => MAY[what];

/** Refuses a principal whose role may not do `what`. */
export function requirePermission(p: Pick<Principal, 'role'>, what: Permission): void {
  if (!may(p.role, what)) throw new ServiceFailure(FailureType.Forbidden, `This action needs one of the roles: ${MAY[what].join(', ')}.`);
}
