import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import type { AuditEntry } from '../../services/audit.js';
import type { Principal } from '../../services/context.js';

/**
 * The client's address, for the audit log and for counting failed sign-ins: the socket's, or, behind
 * `trustedProxies` proxies, the entry they added to X-Forwarded-For (never one the client wrote itself).
 * Both doors read it the same way.
 */
export function clientAddress(c: Context, trustedProxies: number, socket: () => string | undefined = () => socketAddress(c)): string {
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const added = hops[hops.length - trustedProxies];
    if (added) return added.slice(0, 100);
  }
  return (socket() ?? 'unknown').slice(0, 100);
}

function socketAddress(c: Context): string | undefined {
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
export function actionOf(c: Context): string {
  return `${c.req.method} ${routeOf(c)}`;
}

const routeOf = (c: Context): string => matchedRoutes(c).filter((r) => r.method === c.req.method).at(-1)?.path ?? routePath(c);

/** A route parameter that may carry a secret: its value never reaches the audit log. */
const SECRET_PARAM = /token|code|secret|password|key/i;

/**
 * The path a write is audited under: its route's pattern with the resource ids it named, never the raw path, which
 * is the client's to write and once carried an invitation's code. A parameter that could hold a secret is
 * redacted; a path no route has keeps the catch-all's pattern only.
 */
export function auditPath(c: Context): string {
  const values = c.req.path.split('/');
  return routeOf(c)
    .split('/')
    .map((segment, i) => (!segment.startsWith(':') ? segment : SECRET_PARAM.test(segment) ? '[redacted]' : (values[i] ?? '').slice(0, 100)))
    .join('/');
}

/** The audit entry of a write a door has answered: what it was, its outcome and where it came from. */
export function writeOf(c: Context, door: AuditEntry['door'], principal: Principal | null, trustedProxies: number, requestId: string | null = null): AuditEntry {
  return { principal, action: actionOf(c), path: auditPath(c), status: c.res.status, address: clientAddress(c, trustedProxies), door, requestId };
}

/**
 * An attachment's upload: streamed and limited by the attachment service (ATTACHMENT_MAX_BYTES), so neither the
 * host's body limit nor the API's NUL check (a file's bytes are not text) reads it. Both doors' upload paths.
 */
const UPLOAD = /^(\/v1)?\/directives\/[^/]+\/attachments$/;
export const isUpload = (c: Context): boolean => c.req.method === 'POST' && UPLOAD.test(c.req.path);
