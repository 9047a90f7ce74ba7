import { hc } from 'hono/client';
import type { ClientRequestOptions } from 'hono/client';
import type { AppType } from './app.js';

/**
 * The API's typed client. Its type is computed once here rather than at every call site: instantiating
 * `hc<AppType>` is the expensive part for the compiler, and callers only need the result.
 */
export type DirectiveTrackerClient = ReturnType<typeof hc<AppType>>;

export type ClientOptions = {
  /** A bearer token (`npm run dev` prints the bootstrap admin's). */
  token?: string;
  /** Another fetch, e.g. `app.request` in tests. */
  fetch?: ClientRequestOptions['fetch'];
  headers?: Record<string, string>;
};

/** `createClient('http://127.0.0.1:3000', { token }).v1.directives.$get({ query: { status: 'issued' } })` */
export function createClient(baseUrl: string, options: ClientOptions = {}): DirectiveTrackerClient {
  const headers = { ...options.headers, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  return hc<AppType>(baseUrl, { headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
}
