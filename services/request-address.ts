import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';

/**
 * The client's address, for the audit log and for counting failed sign-ins: the socket's, or, behind
 * `trustedProxies` proxies, the entry they added to X-Forwarded-For (never one the client wrote itself).
 * Both doors read it the same way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any door's context: the API's and the pages' differ in their variables
export function clientAddress(c: Context<any>, trustedProxies: number, socket: () => string | undefined = () => socketAddress(c)): string {
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const added = hops[hops.length - trustedProxies];
    if (added) return added.slice(0, 100);
  }
  return (socket() ?? 'unknown').slice(0, 100);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
function socketAddress(c: Context<any>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Not on a Node socket (in-process requests in tests).
    return undefined;
  }
}

/**
 * What a request does, for the audit log: its method and the route registered for it (`POST /v1/agencies`),
 * also when a middleware refused it before that route ran; a path no route has is named by the catch-all.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export function actionOf(c: Context<any>): string {
  const route = matchedRoutes(c).filter((r) => r.method === c.req.method).at(-1);
  return `${c.req.method} ${route?.path ?? routePath(c)}`;
}
