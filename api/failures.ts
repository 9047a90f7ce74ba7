import { FailureType, type ServiceFailure } from '../domain/failures.js';
import { ApiProblem } from './problem.js';

/**
 * Every failure type's HTTP status, in one table. It is a Record over the type, so a failure type added to
 * domain/failures.ts without a status here does not compile.
 */
export const FAILURE_STATUS = {
  [FailureType.Forbidden]: 403,
  [FailureType.NotFound]: 404,
  [FailureType.Conflict]: 409,
  [FailureType.InvalidState]: 409,
  [FailureType.Invalid]: 422,
  [FailureType.Closed]: 409,
  [FailureType.Malformed]: 400,
  [FailureType.TooLarge]: 413,
  [FailureType.IdempotencyKeyReused]: 422,
} as const satisfies Record<FailureType, 400 | 403 | 404 | 409 | 413 | 422>;

/** A refusal of the application layer (or of a workflow, which it passes on) as problem+json. */
export function problemFor(failure: ServiceFailure): ApiProblem {
  return new ApiProblem(FAILURE_STATUS[failure.type], {
    detail: failure.message,
    ...(failure.code ? { slug: failure.code } : {}),
    ...(failure.errors ? { errors: failure.errors } : {}),
  });
}
