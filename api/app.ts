import type { Context } from 'hono';
import { loggablePath } from '../config.js';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { ServiceFailure } from '../domain/failures.js';
import { isDatabaseUnreachable } from '../services/index.js';
import { clientAddress, writeOf } from '../services/request-address.js';
import { agenciesApp } from './agencies.js';
import { attachmentsApp, directiveAttachmentsApp } from './attachments.js';
import { auditApp } from './audit.js';
import { authenticate, bearerTokenOf, PrincipalCache } from './auth.js';
import { calendarApp } from './calendar.js';
import { conclusionImportApp } from './conclusions.js';
import { conferencesApp } from './conferences.js';
import type { AppDeps } from './context.js';
import { directiveActionsApp } from './directives/actions.js';
import { directivesApp } from './directives/routes.js';
import { publishedResultsApp, scoringRuleApp, statisticsApp } from './statistics.js';
import { escalationsApp } from './escalations.js';
import { problemFor } from './failures.js';
import { notificationsApp, webhooksApp } from './notifications.js';
import { meApp, usersApp } from './users.js';
import { newApp } from './openapi.js';
import { mountDocs, mountMetrics, opsGuard, rateLimit, rejectNul, requestLog } from './ops.js';
import { ApiProblem, problemResponse } from './problem.js';
import { webApp } from '../web/app.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = newApp();

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
  const upload = /^(\/v1)?\/directives\/[^/]+\/attachments$/;
  const isUpload = (c: Context) => c.req.method === 'POST' && upload.test(c.req.path);
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || isUpload(c) ? next() : limitBody(c, next)));

  app.get('/readyz', async (c) => {
    const checks = await deps.services.readiness();
    if (Object.values(checks).some((v) => v !== 'ok')) return problemResponse(c, 503, { detail: 'A dependency is unavailable.', checks });
    return c.json({ status: 'ok', checks });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (the bootstrap admin token is printed by `npm run dev`).',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Directive tracker API',
      version: '0.1.0',
      description: 'Directives issued at provincial conferences, tracked as durable Temporal workflows.',
    },
  });

  // What a signed-in client reads is kept by no cache on the way (a proxy's, the browser's history).
  app.use('/v1/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  const principals = new PrincipalCache((token) => deps.services.auth.principalForToken(token));
  // Counted per person whatever way their token is written, or, for anyone without a token that works, per client
  // address as TRUSTED_PROXIES says where it is: never per a header the client writes as it likes.
  app.use(
    '/v1/*',
    rateLimit(deps.config.http.rateLimitPerMinute, async (c) => {
      const token = bearerTokenOf(c.req.header('authorization'));
      const principal = token ? await principals.principalFor(token) : undefined;
      return principal ? `user:${principal.userId}` : `address:${clientAddress(c, deps.config.http.trustedProxies)}`;
    }),
  );
  const nul = rejectNul();
  app.use('/v1/*', (c, next) => (isUpload(c) ? next() : nul(c, next)));
  // A token rotated or revoked through this process stops working at once here (in other processes within
  // PrincipalCache's few seconds): every change to a user or their token goes through /v1/users.
  app.use('/v1/users/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') principals.clear();
  });
  // Every write is audited once it has answered, refused ones too (a 401 names nobody): who, what, outcome, from
  // where; and every read that showed a confidential directive (its route sets `auditRead`).
  app.use('/v1/*', async (c, next) => {
    const read = c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS';
    await next();
    if (read && !c.get('auditRead')) return;
    await deps.services.audit.record(writeOf(c, 'api', c.get('principal') ?? null, deps.config.http.trustedProxies, c.get('requestId') ?? null));
  });
  app.use('/v1/*', authenticate(principals));
  // Chained so that the routes' types accumulate into AppType, which the typed client (api/client.ts) reads.
  const routes = app
    .route('/v1/directives', directivesApp(deps))
    .route('/v1/directives', directiveActionsApp(deps))
    .route('/v1/conferences/import', conclusionImportApp(deps))
    .route('/v1/conferences', conferencesApp(deps))
    .route('/v1/agencies', agenciesApp(deps))
    .route('/v1/calendar', calendarApp(deps))
    .route('/v1/escalations', escalationsApp(deps))
    .route('/v1/users', usersApp(deps))
    .route('/v1/me', meApp(deps))
    .route('/v1/webhooks', webhooksApp(deps))
    .route('/v1/notifications', notificationsApp(deps))
    .route('/v1/statistics', statisticsApp(deps))
    .route('/v1/scoring-rule', scoringRuleApp(deps))
    .route('/v1/published-results', publishedResultsApp(deps))
    .route('/v1/audit', auditApp(deps))
    .route('/v1/directives', directiveAttachmentsApp(deps))
    .route('/v1/attachments', attachmentsApp(deps));

  const noRoute = (c: Context) => problemResponse(c, 404, { detail: `No route ${c.req.method} ${c.req.path}.` });
  app.all('/v1/*', noRoute);
  // Everything that is not the JSON API is the web app: its pages, their assets, signing in.
  const web = webApp({ services: deps.services, config: { http: deps.config.http }, logger: deps.logger, oidc: deps.config.oidc });
  // Handed the request as it came: mounted at the root there is no prefix to strip, and the default rewrite built a
  // whole new Request (and probed for an execution context node has none of) for every page.
  app.mount('/', web.fetch, { replaceRequest: false, optionHandler: (c) => [c.env] });
  app.notFound(noRoute);
  app.onError((err, c) => {
    if (err instanceof ServiceFailure) {
      const problem = problemFor(err);
      // No worker took the message in time: the client may retry (the same Idempotency-Key runs it once).
      const retryAfter = err.retryAfterSeconds ?? (err.type === 'Unavailable' ? 5 : undefined);
      return problemResponse(c, problem.status, problem.init, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
    }
    if (err instanceof ApiProblem) return problemResponse(c, err.status, err.init);
    if (isDatabaseUnreachable(err)) {
      deps.logger.warn({ requestId: c.get('requestId'), path: loggablePath(c.req.path), code: (err as { code?: string }).code }, 'database unreachable');
      return problemResponse(c, 503, { detail: 'The database cannot be reached for the moment; try again shortly.' }, { 'retry-after': '5' });
    }
    if (err instanceof HTTPException) {
      const headers: Record<string, string> = {};
      const challenge = err.getResponse().headers.get('www-authenticate');
      if (challenge) headers['www-authenticate'] = challenge;
      return problemResponse(c, err.status, { detail: err.message || undefined }, headers);
    }
    deps.logger.error({ err, requestId: c.get('requestId'), path: loggablePath(c.req.path) }, 'unhandled error');
    return problemResponse(c, 500, { detail: 'An unexpected error occurred; it has been logged.', requestId: c.get('requestId') });
  });

  return routes;
}

export type App = ReturnType<typeof createApp>;
/** The API's routes as types, for `hono/client`. */
export type AppType = App;
