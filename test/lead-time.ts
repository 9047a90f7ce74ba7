/**
 * The least a test's first deadline lies ahead of the request that sets it, in seconds: time enough for the
 * request, the workflow's start and its plan to be recorded before the first timer, on a loaded machine.
 *
 * Measured: the slowest create→record latency of full CI runs (global-setup.ts prints each run's own when it
 * ends), times a safety factor of three.
 */
export const LEAD_SECONDS = 6;
