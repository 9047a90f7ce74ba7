/**
 * The bars `npm run bench` reports without failing on, because the product does not meet them reliably on this
 * machine yet (`*` matches any part of a name). Each line says what was seen.
 */
export const NOT_YET_MET_BARS: string[] = [
  // Met in the full run (p95 76.8 ms over 2,000 POSTs in four rounds of 500), missed in the quick run at the end of
  // `npm test` (139 ms over 160 POSTs in two rounds of 80: its first POSTs meet a dev server still busy with the
  // suite's runs). The dev server's start RPC alone takes most of it at concurrency 16.
  'create.postP95',
  // 0.53–0.77× (full run 0.65, quick runs 0.58 and 0.53, `--only http` 0.77 with rounds 0.65–0.79): judged PASS
  // only within the noise allowed, not met. Each of hono's requestId and secureHeaders and @hono/prometheus alone
  // takes a bare app to 0.65–0.78× (the three 0.49), then the rate limiter, the NUL check, bearer authentication and the OpenAPI
  // route's validation, before the same query the bare app runs.
  'http.me',
];

/** Whether `name` is one of NOT_YET_MET_BARS. */
export function notYetMet(name: string): boolean {
  return NOT_YET_MET_BARS.some((pattern) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name));
}
