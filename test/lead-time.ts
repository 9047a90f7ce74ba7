/**
 * The least a test's first deadline lies ahead of the request that sets it, in seconds: time enough for the
 * request, the workflow's start and its plan to be recorded before the first timer, on a loaded machine.
 *
 * Measured: the slowest create→record latency of a directive with a timer in its first two minutes was 3.7 s
 * (`CI=true bash .ci/run` on a fresh clone, three files at a time on two cores, 2026-12-07; 2.9 s in a local run
 * the same morning); times a safety factor of three, rounded up. global-setup.ts prints each run's own figures
 * when it ends. Waits for what such a deadline brings are written with `pastSoon` (support.ts), so they keep their
 * slack after the instant when this changes.
 */
export const LEAD_SECONDS = 12;
