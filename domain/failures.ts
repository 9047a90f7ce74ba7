/**
 * Why something was refused, as named constants shared by the workflow (its Update validators), the
 * application layer and the two doors onto it. The JSON API maps each to an HTTP status in one table
 * (api/failures.ts), the web pages to a message on the form; a new type without a mapping does not compile.
 * The first five are a contract with running workflows and with API callers: never rename them.
 */
export const FailureType = {
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  Conflict: 'Conflict',
  InvalidState: 'InvalidState',
  Invalid: 'Invalid',
  /** The directive's workflow has finished: nothing more can be done. */
  Closed: 'Closed',
  /** The request itself cannot be read (a cursor this service did not issue). */
  Malformed: 'Malformed',
  TooLarge: 'TooLarge',
  IdempotencyKeyReused: 'IdempotencyKeyReused',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const isFailureType = (v: unknown): v is FailureType => typeof v === 'string' && Object.values<string>(FailureType).includes(v);

/** One invalid part of a request, as a JSON Pointer (RFC 6901) into where it came from. */
export type FieldError = { location: 'body' | 'query' | 'path' | 'header'; pointer: string; message: string };

/** A refusal by the application layer: a failure type, a reason a person can act on, and where it applies. */
export class ServiceFailure extends Error {
  override readonly name = 'ServiceFailure';
  constructor(
    readonly type: FailureType,
    message: string,
    /** A finer name for the refusal, e.g. `invalid-directive`; the API uses it as the problem type. */
    readonly code?: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

export const fail = (type: FailureType, message: string, options: { code?: string; errors?: FieldError[] } = {}): never => {
  throw new ServiceFailure(type, message, options.code, options.errors);
};
