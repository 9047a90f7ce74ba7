import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { FieldError } from '../domain/failures.js';

/** RFC 9457 problem details; every error response of the API has this shape. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  init: Partial<Omit<Problem, 'status'>> & { slug?: string } = {},
  headers: Record<string, string> = {},
): Response {
  const { slug, ...rest } = init;
  const body: Problem = {
    type: slug ? `/problems/${slug}` : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    instance: c.req.path,
    ...rest,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json', ...headers });
}


const LOCATIONS: Record<string, FieldError['location']> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header' };

/** Zod issue paths become JSON Pointers (RFC 6901) into the part of the request that failed. */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    location: LOCATIONS[target] ?? 'body',
    pointer: issue.path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
    message: issue.message,
  }));
}

export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly init: Partial<Omit<Problem, 'status'>> & { slug?: string },
  ) {
    super(typeof init.detail === 'string' ? init.detail : `HTTP ${status}`);
  }
}
