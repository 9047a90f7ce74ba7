/** What every page handler shares: its context, the refusal it shows, the redirect after a form. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTP_STATUS, ServiceFailure, type RefusalStatus } from '../domain/failures.js';
import type { WebEnv } from './context.js';
import type { PageContext } from './layout.js';

export const pageContext = (c: Context<WebEnv>): PageContext => ({
  t: c.get('t'),
  language: c.get('language'),
  person: c.get('person'),
  csrf: c.get('csrf'),
  path: new URL(c.req.url).pathname,
});

/** The signed-in person of a page behind requireSignIn. */
export function personOf(c: Context<WebEnv>) {
  const person = c.get('person');
  if (!person) throw new ServiceFailure('Unauthenticated', 'Sign in first.');
  return person;
}

/** A form's outcome: the service's answer, or its refusal to show on the form with its status. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: ServiceFailure; status: RefusalStatus }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof ServiceFailure) return { ok: false, failure: err, status: HTTP_STATUS[err.type] };
    throw err;
  }
}

/** After a form that worked: back to a page (Post/Redirect/Get), which htmx follows in place. */
export const seeOther = (c: Context<WebEnv>, to: string) => c.redirect(to, 303);

/**
 * The text fields of a posted form, each its first value; files are left out. Forms are always parsed with
 * every value kept (Hono parses a body once), so repeated fields are there for formList.
 */
export async function formFields(c: Context<WebEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true });
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof first(v) === 'string' ? [[k, first(v) as string]] : [])));
}

/** Every value a repeated field was posted with (checkboxes, multiple selects). */
export async function formList(c: Context<WebEnv>, name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}

/**
 * Only a path of this site is a place to send a browser back to. Browsers read `/\\host` and a path with a tab
 * or newline in it as another site, so those are refused along with `//host`.
 */
export const safeNext = (next: string | undefined): string =>
  next && next.startsWith('/') && !['/', '\\'].includes(next[1] ?? '') && ![...next].some((ch) => ch === '\\' || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) ? next : '/';

const FLASH_COOKIE = 'dt_flash';
export type Flash = { error?: string | undefined; ok?: string | undefined };

/**
 * What a form did, for the page it redirects to: kept a minute in a cookie of this browser, never in the
 * address, so nobody can send a link that shows a notice of their own making.
 */
export function setFlash(c: Context<WebEnv>, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 });
}

export function takeFlash(c: Context<WebEnv>): Flash {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return {};
  deleteCookie(c, FLASH_COOKIE, { path: '/' });
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { error: typeof v.error === 'string' ? v.error : undefined, ok: typeof v.ok === 'string' ? v.ok : undefined };
  } catch {
    return {};
  }
}
