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
  /** A file whose content is not a kind that may be attached, whatever its name says. */
  UnsupportedType: 'UnsupportedType',
  IdempotencyKeyReused: 'IdempotencyKeyReused',
  /** Wrong credentials, or a session that ended. */
  Unauthenticated: 'Unauthenticated',
  /** Too many failed sign-ins: the account or the address waits a while. */
  TooManyAttempts: 'TooManyAttempts',
  /** No worker answered the directive's workflow in time: nothing is lost, the same request may be retried. */
  Unavailable: 'Unavailable',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/**
 * Every failure type's HTTP status, in one table both doors use (the API's problem+json, the pages' status).
 * It is a Record over the type, so a failure type added above without a status here does not compile.
 */
export const HTTP_STATUS = {
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  InvalidState: 409,
  Invalid: 422,
  Closed: 409,
  Malformed: 400,
  TooLarge: 413,
  UnsupportedType: 415,
  IdempotencyKeyReused: 422,
  Unauthenticated: 401,
  TooManyAttempts: 429,
  Unavailable: 503,
} as const satisfies Record<FailureType, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503>;

/** The statuses a refusal can have. */
export type RefusalStatus = (typeof HTTP_STATUS)[FailureType];

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
    /** When the same request may succeed again, in seconds (a throttle's wait): the doors send it as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const fail = (type: FailureType, message: string, options: { code?: string; errors?: FieldError[] } = {}): never => {
  throw new ServiceFailure(type, message, options.code, options.errors);
};
