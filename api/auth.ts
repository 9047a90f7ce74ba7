import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { createMiddleware } from 'hono/factory';
import { MAY, readsOnly, type Permission } from '../domain/policy.js';
import type { Principal } from '../services/index.js';
import type { AppEnv } from './context.js';
import { ApiProblem } from './problem.js';

/**
 * Who a bearer token belongs to, remembered for a few seconds.
 *
 * Without it every API request paid a query for its own token (a SHA-256, drizzle building the statement,
 * a round trip), as much as the small read it came for: /v1/me ran at half a bare Hono app's rate with the
 * same query. The staleness allowed: a token revoked or rotated, or a user revoked, in another process or
 * in the database directly, still works here for at most `ttlMs` (5 s) after the change; in this process the
 * app clears the cache whenever /v1/users changes anything (api/app.ts), so there it stops at once. Only
 * tokens that were found are kept (an unknown token asks the database each time, so a new user's token works
 * at once, and a stream of bad tokens cannot fill the cache); they are kept by their hash, never as given,
 * and at most `maxEntries` of them (the oldest entry goes first).
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly lookup: (token: string) => Promise<Principal | undefined>,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async principalFor(token: string): Promise<Principal | undefined> {
    const key = createHash('sha256').update(token).digest('base64');
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && hit.until > now) return hit.principal;
    if (hit) this.entries.delete(key);
    const generation = this.generation;
    const principal = await this.lookup(token);
    // A clear() while the query was out may have been a revocation the query did not see yet: do not keep it.
    if (principal && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { principal, until: now + this.ttlMs });
    }
    return principal;
  }

  private generation = 0;

  /** Forgets every token: the next request of each asks the database again. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The token of an `Authorization: Bearer …` header however its scheme is cased or spaced (as bearerAuth accepts
 * it), or undefined: one token, one name, for whatever counts per token.
 */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^\s*bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header ?? '')?.[1];
}

export function authenticate(principals: PrincipalCache) {
  return bearerAuth({
    realm: 'directive-tracker',
    verifyToken: async (token, c) => {
      const principal = await principals.principalFor(token);
      if (!principal) return false;
      // The oversight role reads and changes nothing: its writes are refused here, before any route reads them.
      // Its own notification preferences are its own.
      (c as Context<AppEnv>).set('principal', principal);
      const method = c.req.method;
      if (readsOnly(principal.role) && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && !(method === 'PUT' && c.req.path === '/v1/me/preferences')) {
        throw new ApiProblem(403, { detail: 'The oversight role reads; it changes nothing.' });
      }
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
