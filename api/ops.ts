import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { prometheus } from '@hono/prometheus';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import ipaddr from 'ipaddr.js';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loggablePath, type Config, type Logger } from '../config.js';
import { clientAddress } from '../http/shared/request.js';
import type { AppEnv } from './context.js';
import { problemResponse } from './problem.js';

/** A raw NUL, or its JSON escape. */
const hasNul = (s: string): boolean => s.includes('\u0000') || /\\u0000/i.test(s);

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request would only fail later, deep in a
 * query or an activity retried forever: refuse it at the door, for every route at once.
 */
export function rejectNul(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const inQuery = Object.values(c.req.queries()).flat().some(hasNul);
    const inBody = c.req.method !== 'GET' && c.req.method !== 'HEAD' && hasNul(await c.req.raw.clone().text());
    if (inQuery || inBody) return problemResponse(c, 400, { slug: 'validation', detail: 'Requests may not contain NUL characters.' });
    await next();
  };
}

/** One structured line per request; never headers, so tokens cannot leak into logs. */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The line is built only when it is written: below `info` (the dev system and the benchmarks run at `warn`)
    // the object, the path scrub and the clock read cost a request something for nothing.
    if (!logger.isLevelEnabled('info')) return;
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        user: c.get('principal')?.userId,
      },
      'request',
    );
  };
}

/**
 * Per-client limit, clients told apart by `keyOf` (the person, or the client's address). Over the limit the
 * answer is a 429 problem with the standard RateLimit headers.
 */
export function rateLimit(perMinute: number, keyOf: (c: Context<AppEnv>) => Promise<string>): MiddlewareHandler<AppEnv> {
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-6',
    keyGenerator: keyOf,
    handler: (c) => problemResponse(c, 429, { detail: `More than ${perMinute} requests a minute; retry after the window resets.` }),
  });
}

/**
 * `/metrics`: HTTP RED metrics and the process's own, plus the Temporal SDK runtime's Prometheus output
 * when the worker in this process exports it (`TEMPORAL_METRICS_ADDRESS`).
 */
export function mountMetrics(app: Hono<AppEnv>, temporalMetricsAddress: string | undefined): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { registerMetrics } = prometheus({ registry });
  app.use('*', registerMetrics);
  app.get('/metrics', async (c) => {
    let text = await registry.metrics();
    if (temporalMetricsAddress) {
      try {
        const res = await fetch(`http://${temporalMetricsAddress}/metrics`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) text += `\n${await res.text()}`;
      } catch {
        text += '\n# Temporal runtime metrics unavailable\n';
      }
    }
    return c.text(text, 200, { 'content-type': registry.contentType });
  });
}

/** A client on this machine that no proxy forwarded (a proxy on this machine would make every client look local). */
function onLoopback(c: Context, trustedProxies: number): boolean {
  if (trustedProxies === 0 && (c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined)) return false;
  const address = clientAddress(c, trustedProxies);
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * /metrics, /docs and /openapi.json as OPS_ENDPOINTS says: per-route and per-status counters and the API's whole
 * surface are not for everyone who can reach the server. Refused: 404 (nothing is advertised), or 401 asking for
 * the token.
 */
export function opsGuard(ops: Config['ops'], trustedProxies: number): MiddlewareHandler<AppEnv> {
  const expected = ops.token ? digest(ops.token) : undefined;
  const hidden = (c: Context) => problemResponse(c, 404, { detail: `No route ${c.req.method} ${c.req.path}.` });
  return async (c, next) => {
    if (ops.endpoints === 'open') return next();
    if (ops.endpoints === 'loopback') return onLoopback(c, trustedProxies) ? next() : hidden(c);
    if (ops.endpoints === 'closed' || !expected) return hidden(c);
    const sent = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    // Compared as digests: equal lengths, in constant time.
    if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return next();
    return problemResponse(c, 401, { detail: 'The operational endpoints need the bearer token OPS_TOKEN.' }, { 'www-authenticate': 'Bearer realm="operations"' });
  };
}

const require = createRequire(import.meta.url);
const swaggerDir = (require('swagger-ui-dist/absolute-path.js') as () => string)();
/** Looked up by the file's own name only: a plain object would answer `constructor` with a function. */
const DOC_ASSETS = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['swagger-ui-standalone-preset.js', 'text/javascript; charset=utf-8'],
]);

const DOCS_INIT =
  "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });";

/** `/docs`: Swagger UI served from the swagger-ui-dist package, so it loads nothing from the internet. */
/**
 * The app's policy (api/app.ts) but for one thing: Swagger UI's bundle sets a style attribute as it renders, which
 * only 'unsafe-inline' lets it (an attribute has no nonce). It runs no inline script.
 */
const DOCS_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

export function mountDocs(app: Hono<AppEnv>): void {
  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Directive tracker API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`,
      200,
      { 'content-security-policy': DOCS_POLICY },
    ),
  );
  // A separate script keeps the page free of inline JavaScript. It is answered by the same route as the
  // package's assets: a static route beside a parameter one at the same place would push Hono's SmartRouter off
  // its RegExpRouter onto the slower TrieRouter, for every request the app serves.
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    if (file === 'init.js') return c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const type = DOC_ASSETS.get(file);
    if (!type) return problemResponse(c, 404, { detail: `No documentation asset ${file}.` });
    return c.body(fs.readFileSync(path.join(swaggerDir, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
