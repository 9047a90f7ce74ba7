/**
 * The least a test's first deadline lies ahead of the request that sets it, in seconds: time enough for the
 * request, the workflow's start and its plan to be recorded before the first timer, on a loaded machine.
 *
 * Measured: the slowest create→record latency of a directive with a timer in its first two minutes was 2.9 s
 * (`npx vitest run --project unit --project system`, three files at a time on two cores, 2026-12-07); times a
 * safety factor of three, rounded up. global-setup.ts prints each run's own figures when it ends.
 */
export const LEAD_SECONDS = 9;
