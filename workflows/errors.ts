import { ApplicationFailure } from '@temporalio/workflow';

/** Failure types the API maps to HTTP statuses; names are a contract with callers, never rename them. */
export const FailureType = {
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  Conflict: 'Conflict',
  InvalidState: 'InvalidState',
  Invalid: 'Invalid',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const reject = (type: FailureType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};
