import { HTTP_STATUS, type ServiceFailure } from '../domain/failures.js';
import { ApiProblem } from './problem.js';

/** A refusal of the application layer (or of a workflow, which it passes on) as problem+json, with its status from HTTP_STATUS. */
export function problemFor(failure: ServiceFailure): ApiProblem {
  return new ApiProblem(HTTP_STATUS[failure.type], {
    detail: failure.message,
    ...(failure.code ? { slug: failure.code } : {}),
    ...(failure.errors ? { errors: failure.errors } : {}),
  });
}
