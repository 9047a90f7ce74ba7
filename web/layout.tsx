import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { Language, Role, Timeliness } from '../domain/lists.js';
import { formatDay, formatDue } from '../domain/vn-time.js';
import type { Principal } from '../services/index.js';
import type { Dictionary } from './i18n.js';
import { CSRF_FIELD } from './security.js';

/** What every page knows about its request. */
export type PageContext = { t: Dictionary; language: Language; person: Principal | undefined; csrf: string; path: string };

// htmx swaps refusals too (a 4xx page carries the form with its reason), and never caches history snapshots.
// Under the Content-Security-Policy it evaluates no code (hx-on, trigger filters), runs no script it swaps in and
// adds no style element: its indicator's styles are in app.css.
const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: '204', swap: false },
    { code: '[2345]..', swap: true, error: false },
  ],
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
});

type NavItem = { href: string; label: string; roles?: readonly Role[] };

export const Layout: FC<PropsWithChildren<{ ctx: PageContext; title: string }>> = ({ ctx, title, children }) => {
  const { t, person } = ctx;
  const nav: NavItem[] = [
    { href: '/', label: t.nav.home },
    { href: '/directives', label: t.nav.directives },
    { href: '/conferences', label: t.nav.conferences },
    { href: '/inbox', label: t.nav.inbox },
    { href: '/statistics', label: t.nav.statistics },
    { href: '/admin', label: t.nav.admin, roles: ['admin'] },
    { href: '/admin/audit', label: t.admin.audit, roles: ['oversight'] },
  ];
  const current = (href: string) => (href === '/' ? ctx.path === '/' : ctx.path.startsWith(href));
  return (
    <html lang={ctx.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · ${t.appName}`}</title>
        <link rel="stylesheet" href="/assets/pico.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer></script>
        <script src="/assets/sse.min.js" defer></script>
      </head>
      <body hx-boost="true" hx-headers={JSON.stringify({ 'X-CSRF-Token': ctx.csrf })}>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="container">
          <nav>
            <ul>
              <li>
                <a href="/" class="brand">
                  <strong>{t.appName}</strong>
                </a>
              </li>
            </ul>
            {person ? (
              <ul>
                {nav
                  .filter((n) => !n.roles || n.roles.includes(person.role))
                  .map((n) => (
                    <li>
                      <a href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
              </ul>
            ) : null}
            <ul>
              <li>
                <LanguageSwitch ctx={ctx} />
              </li>
              {person ? (
                <li>
                  <form method="post" action="/sign-out" class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="secondary outline">
                      {t.nav.signOut}
                    </button>
                  </form>
                </li>
              ) : null}
            </ul>
          </nav>
          {person ? (
            <p class="who">
              {person.name} · {t.roles[person.role]}
            </p>
          ) : null}
        </header>
        <main id="main" class="container">
          {children}
        </main>
      </body>
    </html>
  );
};

const LanguageSwitch: FC<{ ctx: PageContext }> = ({ ctx }) => {
  const other: Language = ctx.language === 'vi' ? 'en' : 'vi';
  return (
    <form method="post" action="/language" class="inline">
      <Csrf ctx={ctx} />
      <input type="hidden" name="language" value={other} />
      <input type="hidden" name="back" value={ctx.path} />
      <button type="submit" class="secondary outline" lang={other}>
        {ctx.t.language[other]}
      </button>
    </form>
  );
};

export const Csrf: FC<{ ctx: PageContext }> = ({ ctx }) => <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />;

/** A refusal or a confirmation at the top of a form. */
export const Notice: FC<{ kind: 'error' | 'ok'; children: Child }> = ({ kind, children }) =>
  kind === 'error' ? (
    <p role="alert" class="notice error">
      {children}
    </p>
  ) : (
    <p role="status" class="notice ok">
      {children}
    </p>
  );

export const TimelinessBadge: FC<{ t: Dictionary; value: Timeliness }> = ({ t, value }) => (
  <mark class={`badge ${value}`}>{t.timeliness[value]}</mark>
);

/** dd/mm/yyyy (hh:mm) in Vietnam time; a deadline at 24:00 shows as its day. */
export const When: FC<{ iso: string | null; t: Dictionary; fallback?: string }> = ({ iso, t, fallback }) =>
  iso ? <time datetime={iso}>{formatDue(iso)}</time> : <span>{fallback ?? t.admin.none}</span>;

export const Day: FC<{ iso: string | null }> = ({ iso }) => (iso ? <time datetime={iso}>{formatDay(iso)}</time> : <span>—</span>);
