/**
 * The HTTP host: one Hono app that carries what every request needs (liveness, the host check, the request id,
 * the access log, security headers, the operators' routes, the body limit, readiness) and mounts the two doors
 * beside each other: the JSON API under /v1 (api/) and the web app everywhere else (web/). Each door keeps its
 * own middleware and its own refusals; neither knows the other.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { apiApp, apiErrors, noRoute } from '../api/app.js';
import type { AppDeps, AppEnv } from '../api/context.js';
import { mountDocs, mountMetrics, opsGuard, requestLog } from '../api/ops.js';
import { problemResponse } from '../api/problem.js';
import { webApp } from '../web/app.js';
import { isUpload } from './shared/request.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  // Liveness answers before the stack: a probe polled every few seconds by an orchestrator needs no request id,
  // access-log line, security headers or latency histogram, and the stack was two thirds of its cost (0.36× a
  // bare Hono app). Readiness, which asks the dependencies, goes through the stack like every other route.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // In production a request must name PUBLIC_URL's host (any port): a name an attacker rebinds to this server's
  // address then reaches nothing from a browser. Readiness, like liveness above, is asked by address.
  if (deps.config.http.checkHost) {
    const host = new URL(deps.config.http.publicUrl).hostname;
    app.use('*', async (c, next) => {
      if (c.req.path === '/readyz' || new URL(c.req.url).hostname === host) return next();
      return problemResponse(c, 421, { detail: `This server answers for ${host}.` });
    });
  }

  // The id is always the server's: a client's X-Request-Id could forge or repeat another request's in the audit log,
  // and reach its CSV. The header only ever carries the id back.
  app.use('*', requestId({ headerName: '' }));
  app.use('*', async (c, next) => {
    c.header('x-request-id', c.get('requestId'));
    await next();
  });
  app.use('*', requestLog(deps.logger));
  // same-origin: our own forms name our origin (the pages' form check needs it), other sites learn nothing.
  // The policy: scripts and styles from this site's files only (htmx reads its settings from a meta tag and adds no
  // styles of its own), Pico's data: icons, framed only by this site (the PDF preview is).
  app.use(
    '*',
    secureHeaders({
      // A response that sets a header of its own keeps it (the API docs' policy, api/ops.ts).
      overwrite: false,
      referrerPolicy: 'same-origin',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    }),
  );
  const ops = opsGuard(deps.config.ops, deps.config.http.trustedProxies);
  for (const path of ['/metrics', '/docs', '/docs/*', '/openapi.json']) app.use(path, ops);
  mountMetrics(app, deps.config.temporal.metricsAddress);
  mountDocs(app);
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemResponse(c, 413, { detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` }),
  });
  // GET and HEAD carry no body (@hono/node-server gives their Request none), so the limit has nothing to count;
  // asking (`c.req.raw.body`) would build the full WHATWG Request that node-server otherwise never builds, which
  // was the largest single cost of a /healthz (a third of its time in a CPU profile).
  // An attachment's upload is streamed and limited by the attachment service (ATTACHMENT_MAX_BYTES): neither the
  // body limit nor the NUL check (a file's bytes are not text) reads it.
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || isUpload(c) ? next() : limitBody(c, next)));

  app.get('/readyz', async (c) => {
    const checks = await deps.services.readiness();
    if (Object.values(checks).some((v) => v !== 'ok')) return problemResponse(c, 503, { detail: 'A dependency is unavailable.', checks });
    return c.json({ status: 'ok', checks });
  });

  app.route('/', apiApp(deps));
  // Everything that is not the JSON API is the web app: its pages, their assets, signing in.
  const web = webApp({ services: deps.services, config: { http: deps.config.http }, logger: deps.logger, oidc: deps.config.oidc });
  // Handed the request as it came: mounted at the root there is no prefix to strip, and the default rewrite built a
  // whole new Request (and probed for an execution context node has none of) for every page.
  app.mount('/', web.fetch, { replaceRequest: false, optionHandler: (c) => [c.env] });
  app.notFound(noRoute);
  app.onError(apiErrors(deps));
  return app;
}

export type App = ReturnType<typeof createApp>;
