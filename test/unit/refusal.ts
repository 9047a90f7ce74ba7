import { ApplicationFailure } from '@temporalio/common';

/** What a rule says to a message: the refusal's reason (a workflow's ApplicationFailure), or 'accepted'. */
export function reasonOf(f: () => void): string {
  try {
    f();
  } catch (err) {
    if (err instanceof ApplicationFailure) return err.message;
    throw err;
  }
  return 'accepted';
}
