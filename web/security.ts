/**
 * The browser's side of signing in: the session cookie, the form token against cross-site requests, the
 * language, and the gate in front of every page that needs a signed-in person.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { includes, LANGUAGES, type Language } from '../domain/lists.js';
import { readsOnly } from '../domain/policy.js';
import type { Session } from '../services/accounts.js';
import type { Services } from '../services/index.js';
import type { WebEnv } from './context.js';
import { dictionary } from './i18n.js';

export const SESSION_COOKIE = 'dt_session';
export const CSRF_COOKIE = 'dt_csrf';
export const LANGUAGE_COOKIE = 'dt_lang';
export const CSRF_FIELD = '_csrf';

/**
 * Secure when the site is https as PUBLIC_URL says: a request cannot say otherwise (X-Forwarded-Proto is the
 * client's to write unless a proxy overwrites it, and a TLS proxy that does not send it would lose the flag).
 */
const isHttps = (c: Context<WebEnv>) => c.get('secureCookies') === true;
const cookieOptions = (c: Context<WebEnv>) => ({ httpOnly: true, sameSite: 'Lax' as const, secure: isHttps(c), path: '/' });

export function setSessionCookie(c: Context<WebEnv>, session: Session): void {
  setCookie(c, SESSION_COOKIE, session.token, { ...cookieOptions(c), expires: session.expiresAt });
}
export function clearSessionCookie(c: Context<WebEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}
export function setLanguageCookie(c: Context<WebEnv>, language: Language): void {
  setCookie(c, LANGUAGE_COOKIE, language, { ...cookieOptions(c), maxAge: 365 * 86_400 });
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A signed-in browser's form token is derived from its session, which no other site can know or set; before
 * signing in it is the random value of its own cookie (double submit).
 */
const sessionFormToken = (sessionToken: string) => createHash('sha256').update(`form ${sessionToken}`).digest('base64url');

/** Loads the person behind the session cookie, the language and the form token, for every page. */
export function browserContext(services: Services, publicUrl: string) {
  const secure = new URL(publicUrl).protocol === 'https:';
  return createMiddleware<WebEnv>(async (c, next) => {
    c.set('secureCookies', secure);
    let csrf = getCookie(c, CSRF_COOKIE);
    if (!csrf || !/^[A-Za-z0-9_-]{43}$/.test(csrf)) {
      csrf = randomBytes(32).toString('base64url');
      setCookie(c, CSRF_COOKIE, csrf, cookieOptions(c));
    }
    const token = getCookie(c, SESSION_COOKIE);
    const person = token ? await services.accounts.principalForSession(token) : undefined;
    if (token && !person) clearSessionCookie(c);
    c.set('csrf', person && token ? sessionFormToken(token) : csrf);
    const chosen = getCookie(c, LANGUAGE_COOKIE);
    const language: Language = person && includes(LANGUAGES, person.language) ? person.language : includes(LANGUAGES, chosen) ? chosen : 'vi';
    c.set('person', person ? { userId: person.userId, name: person.name, role: person.role, agencyId: person.agencyId } : undefined);
    c.set('sessionToken', person ? token : undefined);
    c.set('language', language);
    c.set('t', dictionary(language));
    await next();
  });
}

/**
 * Every form carries the browser's token; a request that changes something without it (or from another
 * origin) is refused before any handler runs.
 */
/** The form that uploads a file (web/pages/directives.tsx): its token is checked by its handler, as the file streams in. */
export const UPLOAD_FORM = /^\/directives\/[0-9a-f-]{36}\/attachments$/;

/** The form token of a streamed form's fields, checked before its file is read. */
export function requireFormToken(c: Context<WebEnv>, fields: Record<string, string>): void {
  const sent = fields[CSRF_FIELD];
  if (typeof sent !== 'string' || !same(sent, c.get('csrf'))) throw new ServiceFailure(FailureType.Forbidden, c.get('t').errors.csrf);
}

export function formTokens(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return createMiddleware<WebEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // The site's own origin as the browser sees it (PUBLIC_URL behind a proxy), or as this server does. Pages
    // are served with Referrer-Policy: same-origin, so a browser names our origin on our own forms and sends
    // "null" from anywhere else (another site, a sandboxed frame): that is refused.
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== publicOrigin && origin !== new URL(c.req.url).origin) return refuse(c);
    const type = c.req.header('content-type') ?? '';
    // A file's form is streamed, never parsed here: its handler checks the token, which the form sends before the file.
    if (UPLOAD_FORM.test(c.req.path) && type.includes('multipart/form-data')) return next();
    const form = type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data');
    // Parsed with every value kept: Hono parses a body once, and pages read repeated fields from it.
    const field = form ? (await c.req.parseBody({ all: true }))[CSRF_FIELD] : undefined;
    const sent = c.req.header('x-csrf-token') ?? (Array.isArray(field) ? field[0] : field);
    if (typeof sent !== 'string' || !same(sent, c.get('csrf'))) return refuse(c);
    return next();
  });
}

function refuse(c: Context<WebEnv>) {
  const t = c.get('t');
  return c.html(
    `<!doctype html><html lang="${c.get('language')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.appName}</title><link rel="stylesheet" href="/assets/pico.min.css"></head><body><main class="container"><h1>403</h1><p role="alert">${t.errors.csrf}</p><p><a href="/">${t.errors.back}</a></p></main></body></html>`,
    403,
  );
}

/** Pages behind it need a signed-in person; the others are sent to sign in and brought back. */
export const requireSignIn = createMiddleware<WebEnv>(async (c, next) => {
  const person = c.get('person');
  if (person) {
    // The oversight role reads and changes nothing; its session and language are posted before this (sign-in pages).
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && readsOnly(person.role)) throw new ServiceFailure(FailureType.Forbidden, c.get('t').errors.readsOnly, 'reads-only');
    return next();
  }
  const back = c.req.method === 'GET' ? new URL(c.req.url).pathname + new URL(c.req.url).search : '/';
  const target = `/sign-in?next=${encodeURIComponent(back)}`;
  if (c.req.header('hx-request')) return c.body(null, 200, { 'hx-redirect': target });
  return c.redirect(target, 303);
});
