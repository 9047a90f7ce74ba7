import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createMiddleware } from 'hono/factory';
import { hashToken } from '../db/bootstrap.js';
import type { Database } from '../db/client.js';
import { users } from '../db/schema.js';
import type { AppEnv, Principal } from './context.js';
import { ApiProblem } from './problem.js';

export { hashToken };

export async function principalForToken(db: Database, token: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({ userId: users.id, name: users.name, role: users.role, agencyId: users.agencyId })
    .from(users)
    .where(and(eq(users.tokenHash, hashToken(token)), isNull(users.revokedAt)))
    .limit(1);
  return row;
}

export function authenticate(db: Database) {
  return bearerAuth({
    realm: 'directive-tracker',
    verifyToken: async (token, c) => {
      const principal = await principalForToken(db, token);
      if (!principal) return false;
      (c as Context<AppEnv>).set('principal', principal);
      return true;
    },
  });
}

export function requireRole(...roles: Principal['role'][]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { role } = c.get('principal');
    if (!roles.includes(role)) {
      throw new ApiProblem(403, { detail: `This action needs one of the roles: ${roles.join(', ')}.` });
    }
    await next();
  });
}
