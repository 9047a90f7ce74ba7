import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../services/idempotency.js';
import { fieldErrors, problemResponse } from './problem.js';

/** Every sub-app validates the same way: a 400 problem+json with one entry per invalid field. */
export function newApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return problemResponse(c, 400, {
          slug: 'validation',
          detail: 'The request is not valid; see `errors`.',
          errors: fieldErrors(result.error, result.target),
        });
      }
      return undefined;
    },
  });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ location: z.enum(['body', 'query', 'path', 'header']), pointer: z.string(), message: z.string() }))
      .optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const problems = {
  400: problem('The request is malformed or fails validation.'),
  401: problem('No valid bearer token.'),
  403: problem('The caller may not do this.'),
  404: problem('No such resource, or the caller may not see it.'),
  409: problem('The request conflicts with the resource state.'),
  422: problem('The request is well-formed but cannot be carried out.'),
} as const;

export const bearerSecurity = [{ bearerAuth: [] }];

/** `{id}` of a resource addressed by UUID. */
export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(IDEMPOTENCY_KEY_PATTERN, '1–255 visible ASCII characters')
    .optional()
    .openapi({ description: 'Retrying a POST with the same key and body creates nothing new.' }),
});


/**
 * A create's answers, the same on every resource: 201 with what was made; 200 with `Idempotent-Replayed: true`
 * when a retry with the same Idempotency-Key and body finds it made already (a secret shown once is not
 * shown again: the replay answers with `replay`, the schema without it).
 */
export function createResponses<S extends z.ZodType, R extends z.ZodType>(schema: S, description: string, replay: R) {
  return {
    201: { description, content: { 'application/json': { schema } } },
    200: {
      description: 'Made already by an earlier request with this Idempotency-Key and body (`Idempotent-Replayed: true`)',
      content: { 'application/json': { schema: replay } },
    },
    ...problems,
  } as const;
}

/** `Location`, and `Idempotent-Replayed: true` on a replay. */
export const createdHeaders = (location: string, replayed: boolean): Record<string, string> => ({
  location,
  ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
});
