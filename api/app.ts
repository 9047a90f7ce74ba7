import type { Context } from 'hono';
import { loggablePath } from '../config.js';
import { HTTPException } from 'hono/http-exception';
import { ServiceFailure } from '../domain/failures.js';
import { isDatabaseUnreachable } from '../services/index.js';
import { clientAddress, isUpload, writeOf } from '../http/shared/request.js';
import { agenciesApp } from './agencies.js';
import { attachmentsApp, directiveAttachmentsApp } from './attachments.js';
import { auditApp } from './audit.js';
import { authenticate, bearerTokenOf, PrincipalCache } from './auth.js';
import { calendarApp } from './calendar.js';
import { conclusionImportApp } from './conclusions.js';
import { conferencesApp } from './conferences.js';
import type { AppDeps, AppEnv } from './context.js';
import { directiveActionsApp } from './directives/actions.js';
import { directivesApp } from './directives/routes.js';
import { publishedResultsApp, scoringRuleApp, statisticsApp } from './statistics.js';
import { escalationsApp } from './escalations.js';
import { problemFor } from './failures.js';
import { notificationsApp, webhooksApp } from './notifications.js';
import { meApp, usersApp } from './users.js';
import { newApp } from './openapi.js';
import { rateLimit, rejectNul } from './ops.js';
import { ApiProblem, problemResponse } from './problem.js';

/** A path no route has, under /v1 and outside any page. */
export const noRoute = (c: Context) => problemResponse(c, 404, { detail: `No route ${c.req.method} ${c.req.path}.` });

/** Every refusal and failure of the API as problem+json (the host answers its own with the same). */
export function apiErrors(deps: AppDeps) {
  return (err: Error, c: Context<AppEnv>) => {
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
  };
}

/**
 * The JSON API under /v1 (Hono + @hono/zod-openapi): its documents, its rate limit, NUL check, audit and bearer
 * authentication, one sub-app per resource. The host (http/app.ts) mounts it beside the web app.
 */
export function apiApp(deps: AppDeps) {
  const app = newApp();
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

  app.all('/v1/*', noRoute);
  // Its refusals and failures are answered by the host's handler, apiErrors (http/app.ts): a handler set here
  // would wrap every route once more when the host mounts it.
  return routes;
}

/** The API's routes as types, for `hono/client`. */
export type AppType = ReturnType<typeof apiApp>;
