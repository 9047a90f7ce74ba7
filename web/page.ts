/** What every page handler shares: its context, the refusal it shows, the redirect after a form. */
import type { Context } from 'hono';
import { HTTP_STATUS, ServiceFailure } from '../domain/failures.js';
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
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: ServiceFailure; status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 }> {
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
