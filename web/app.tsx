/**
 * The web app: server-rendered pages (Hono JSX) for leaders, officers, supervisors and admins, enhanced by
 * htmx and working without it. Every action goes through the same application layer as the JSON API.
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { loggablePath } from '../config.js';
import { HTTP_STATUS, ServiceFailure, type RefusalStatus } from '../domain/failures.js';
import { isDatabaseUnreachable } from '../services/index.js';
import { assetsApp } from './assets.js';
import type { WebDeps, WebEnv } from './context.js';
import { dictionary } from './i18n.js';
import { Layout } from './layout.js';
import { reasonIn } from './reasons.js';
import { adminPages } from './pages/admin.js';
import { conferencePages } from './pages/conferences.js';
import { directivePages } from './pages/directives.js';
import { personOf } from './page.js';
import { downloadHeaders } from '../http/shared/downloads.js';
import { homePage } from './pages/home.js';
import { inboxPages } from './pages/inbox.js';
import { livePage } from './pages/live.js';
import { scoringPages } from './pages/scoring.js';
import { signInPages } from './pages/sign-in.js';
import { statisticsPages } from './pages/statistics.js';
import { ssoPages } from './pages/sso.js';
import { browserContext, formTokens, requireSignIn } from './security.js';
import { writeOf } from '../http/shared/request.js';

export function webApp(deps: WebDeps) {
  const app = new Hono<WebEnv>();
  app.use('*', compress());
  app.route('/assets', assetsApp());
  app.use('*', browserContext(deps.services, deps.config.http.publicUrl));
  // A page holds the person's data and a form token: kept by no cache, nor by the browser's history on a shared computer.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  // Every form posted is a write: audited once it has answered, as the JSON API's are (api/app.ts).
  // A page that showed a confidential directive is audited too (its handler sets `auditRead`).
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'POST' && !c.get('auditRead')) return;
    await deps.services.audit.record(writeOf(c, 'web', c.get('person') ?? null, deps.config.http.trustedProxies));
  });
  app.use('*', formTokens(deps.config.http.publicUrl));
  app.route('/', signInPages(deps));
  app.route('/sso', ssoPages(deps));
  app.use('*', requireSignIn);
  app.use('/admin/*', async (c, next) => {
    const role = c.get('person')?.role;
    // The audit log is the oversight role's to read as well (its writes are refused before this).
    const audit = role === 'oversight' && new URL(c.req.url).pathname.startsWith('/admin/audit');
    if (role !== 'admin' && !audit) throw new ServiceFailure('Forbidden', c.get('t').errors.forbidden);
    await next();
  });
  app.route('/', homePage(deps));
  app.route('/live', livePage(deps));
  app.route('/directives', directivePages(deps));
  // An attached file, for the signed-in person, scoped like its directive; a PDF inline for the page's preview.
  app.get('/attachments/:id', async (c) => {
    const { attachment, body, confidential } = await deps.services.attachments.download(personOf(c), c.req.param('id'));
    // A confidential directive's file is a read of it: audited.
    if (confidential) c.set('auditRead', true);
    return c.body(body, 200, downloadHeaders(attachment, c.req.query('inline') === '1'));
  });
  app.route('/conferences', conferencePages(deps));
  app.route('/inbox', inboxPages(deps));
  app.route('/statistics', statisticsPages(deps));
  app.route('/admin/scoring', scoringPages(deps));
  app.route('/admin', adminPages(deps));

  const errorPage = (c: Parameters<Parameters<typeof app.notFound>[0]>[0], status: RefusalStatus | 500, message: string) => {
    // An error may come before the browser's context was read (an asset), so nothing of it is assumed.
    const language = c.get('language') ?? 'vi';
    const ctx = { t: dictionary(language), language, person: c.get('person'), csrf: c.get('csrf') ?? '', path: new URL(c.req.url).pathname };
    return c.html(
      <Layout ctx={ctx} title={String(status)}>
        <h1>{status}</h1>
        <p role="alert">{message}</p>
        <p>
          <a href="/">{ctx.t.errors.back}</a>
        </p>
      </Layout>,
      status,
    );
  };
  app.notFound((c) => errorPage(c, 404, (c.get('t') ?? dictionary('vi')).errors.notFound));
  app.onError((err, c) => {
    const t = c.get('t') ?? dictionary('vi');
    // Something outside the person's scope is answered like something that does not exist.
    if (err instanceof ServiceFailure && err.type === 'NotFound') return errorPage(c, 404, t.errors.notFound);
    if (err instanceof ServiceFailure && err.type === 'Forbidden') return errorPage(c, 403, err.code === 'reads-only' ? t.errors.readsOnly : t.errors.forbidden);
    // Any other refusal that reached here (a cursor this site did not make, say) is the request's fault.
    if (err instanceof ServiceFailure) return errorPage(c, HTTP_STATUS[err.type], reasonIn(c.get('language') ?? 'vi', err.message));
    if (isDatabaseUnreachable(err)) return errorPage(c, 503, t.errors.unavailable);
    deps.logger.error({ err, path: loggablePath(c.req.path) }, 'page failed');
    return errorPage(c, 500, t.errors.unexpected);
  });
  return app;
}
