import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { loggablePath, type Logger } from '../config.js';
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

/** What @hono/node-server hands the app as `c.env`; absent when the app is called in-process (`app.request`). */
type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;

/**
 * Adds a header every answer of the stack carries (request id, security headers, rate-limit state).
 *
 * Behind @hono/node-server it goes straight into Node's own header table, which `writeHead` merges into the
 * answer, whatever built it (a route, an error handler, the mounted pages). Hono's `c.header` would keep it in
 * a WHATWG Headers object instead, and undici's Headers cost about 1.5 µs per header set on this machine (17
 * of them: 27 µs, against 2 µs for a plain object), more than the whole of a bare Hono `/healthz`; they also
 * take node-server off its fast path of writing a plain header object as it is. In-process (`app.request`,
 * the tests) there is no Node response, and the header goes through `c.header` as before.
 *
 * One difference in kind: `writeHead` lets a route's own value of the same header win, where Hono's
 * secureHeaders overwrote it. No route sets any of these headers.
 */
export function stackHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as NodeBindings)?.outgoing;
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/** A request header read from Node's parsed table when there is one: asking Hono builds a WHATWG Headers of all of them. */
function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings)?.incoming;
  if (incoming) {
    const v = incoming.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  return c.req.header(name);
}

/**
 * What `secureHeaders({ referrerPolicy: 'same-origin' })` of hono set (test/unit/stack-headers.test.ts holds
 * the two equal). same-origin: our own forms name our origin (the pages' form check needs it), other sites
 * learn nothing.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'same-origin'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
];

const VALID_REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * The request id (the caller's `X-Request-Id` when it is a plain token of at most 255 characters, else a new
 * UUID, as hono's requestId did) and the security headers, on every answer.
 */
export function stackHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = requestHeader(c, 'x-request-id');
    const id = given && VALID_REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    stackHeader(c, 'x-request-id', id);
    const outgoing = (c.env as NodeBindings)?.outgoing;
    if (outgoing) for (const [k, v] of SECURITY_HEADERS) outgoing.setHeader(k, v);
    await next();
    // In-process: set on the answer itself afterwards, so that they win over a route's own, as before.
    if (!outgoing) for (const [k, v] of SECURITY_HEADERS) c.res.headers.set(k, v);
  };
}

/**
 * Per-client limit: clients are told apart by their bearer token (hashed, so that tokens are not kept as
 * keys), else by their forwarded address. Over the limit the answer is a 429 problem with the standard
 * RateLimit headers (draft 6) and Retry-After.
 *
 * A fixed window per client starting at its first request, in a Map: what hono-rate-limiter's MemoryStore
 * did, without its per-request Date objects, bound closures and six awaits (28 µs a request in a profile, the
 * most expensive part of the /v1 stack). Expired windows are swept once a window, lazily, with no timer.
 * The count is per process, as it was.
 */
export function rateLimit(perMinute: number, windowMs = 60_000): MiddlewareHandler<AppEnv> {
  const clients = new Map<string, { hits: number; resetAt: number }>();
  let sweptAt = Date.now();
  const policy = `${perMinute};w=${Math.ceil(windowMs / 1000)}`;
  const limit = String(perMinute);
  return async (c, next) => {
    const now = Date.now();
    if (now - sweptAt >= windowMs) {
      for (const [k, v] of clients) if (v.resetAt <= now) clients.delete(k);
      sweptAt = now;
    }
    const key = createHash('sha256')
      .update(c.req.header('authorization') ?? `addr:${c.req.header('x-forwarded-for') ?? 'local'}`)
      .digest('hex');
    let client = clients.get(key);
    if (!client || client.resetAt <= now) {
      client = { hits: 0, resetAt: now + windowMs };
      clients.set(key, client);
    }
    client.hits++;
    const resetSeconds = String(Math.max(0, Math.ceil((client.resetAt - now) / 1000)));
    stackHeader(c, 'ratelimit-policy', policy);
    stackHeader(c, 'ratelimit-limit', limit);
    stackHeader(c, 'ratelimit-remaining', String(Math.max(perMinute - client.hits, 0)));
    if (resetSeconds !== '0') stackHeader(c, 'ratelimit-reset', resetSeconds);
    if (client.hits > perMinute) {
      stackHeader(c, 'retry-after', resetSeconds);
      return problemResponse(c, 429, { detail: `More than ${perMinute} requests a minute; retry after the window resets.` });
    }
    await next();
  };
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
type Series = { labels: { method: string; route: string; status: string; ok: string }; count: number; sum: number; buckets: number[] };

/**
 * The HTTP RED metrics @hono/prometheus kept (`http_request_duration_seconds`, `http_requests_total`, labelled
 * method, status, ok and route, where route is the matched pattern, never a path with ids in it), with the
 * same names, buckets and output. prom-client's Histogram and Counter validate and hash the label set on
 * every observation (17 µs a request in a profile, two of them per request); here a request adds to its
 * series, found by one string key, and the text is made when /metrics is scraped.
 */
class HttpMetrics {
  private readonly series = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { method, route, status: String(status), ok: String(status >= 200 && status < 300) }, count: 0, sum: 0, buckets: DURATION_BUCKETS.map(() => 0) };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) s.buckets[i]!++;
  }

  /** The two metrics as prom-client's registry reads a metric (`get()`), so /metrics prints them as before. */
  metrics(): Metric[] {
    const all = () => [...this.series.values()];
    const duration = {
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: 'http_request_duration_seconds',
        help: 'Duration of HTTP requests in seconds',
        type: 'histogram',
        aggregator: 'sum',
        values: all().flatMap((s) => [
          ...DURATION_BUCKETS.map((le, i) => ({ labels: { le, ...s.labels }, value: s.buckets[i]!, metricName: 'http_request_duration_seconds_bucket' })),
          { labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: 'http_request_duration_seconds_bucket' },
          { labels: s.labels, value: s.sum, metricName: 'http_request_duration_seconds_sum' },
          { labels: s.labels, value: s.count, metricName: 'http_request_duration_seconds_count' },
        ]),
      }),
    };
    const total = {
      name: 'http_requests_total',
      help: 'Total number of HTTP requests',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: 'http_requests_total',
        help: 'Total number of HTTP requests',
        type: 'counter',
        aggregator: 'sum',
        values: all().map((s) => ({ labels: s.labels, value: s.count })),
      }),
    };
    return [duration, total] as unknown as Metric[];
  }
}

/**
 * `/metrics`: HTTP RED metrics and the process's own, plus the Temporal SDK runtime's Prometheus output
 * when the worker in this process exports it (`TEMPORAL_METRICS_ADDRESS`).
 */
export function mountMetrics(app: Hono<AppEnv>, temporalMetricsAddress: string | undefined): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new HttpMetrics();
  for (const m of http.metrics()) registry.registerMetric(m);
  app.use('*', async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      http.observe(c.req.method, c.req.routePath, c.res.status, (performance.now() - started) / 1000);
    }
  });
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

const require = createRequire(import.meta.url);
const swaggerDir = (require('swagger-ui-dist/absolute-path.js') as () => string)();
const DOC_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const DOCS_INIT =
  "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });";

/** `/docs`: Swagger UI served from the swagger-ui-dist package, so it loads nothing from the internet. */
export function mountDocs(app: Hono<AppEnv>): void {
  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Directive tracker API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`),
  );
  // A separate script keeps the page free of inline JavaScript. It is answered by the same route as the
  // package's assets: a static route beside a parameter one at the same place is what keeps Hono's SmartRouter
  // from its RegExpRouter (it falls back to the slower TrieRouter; /v1/calendar's middleware does the same).
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    if (file === 'init.js') return c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const type = DOC_ASSETS[file];
    if (!type) return problemResponse(c, 404, { detail: `No documentation asset ${file}.` });
    return c.body(fs.readFileSync(path.join(swaggerDir, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
