import { ApplicationFailure } from '@temporalio/common';
import type { FailureType } from '../domain/failures.js';

/** A refusal from workflow code: a non-retryable ApplicationFailure whose type the application layer maps. */
export const reject = (type: FailureType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};
