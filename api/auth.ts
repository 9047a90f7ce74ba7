import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createMiddleware } from 'hono/factory';
import { MAY, type Permission } from '../domain/policy.js';
import type { Services } from '../services/index.js';
import type { AppEnv } from './context.js';
import { ApiProblem } from './problem.js';

export function authenticate(services: Services) {
  return bearerAuth({
    realm: 'directive-tracker',
    verifyToken: async (token, c) => {
      const principal = await services.auth.principalForToken(token);
      if (!principal) return false;
      (c as Context<AppEnv>).set('principal', principal);
      return true;
    },
  });
}

/**
 * Refuses a role before the request is read, from the same table the services check (services/policy.ts),
 * so a caller without the role learns nothing from validation errors.
 */
export function requirePermission(what: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const roles: readonly string[] = MAY[what];
    if (!roles.includes(c.get('principal').role)) {
      throw new ApiProblem(403, { detail: `This action needs one of the roles: ${roles.join(', ')}.` });
    }
    await next();
  });
}
