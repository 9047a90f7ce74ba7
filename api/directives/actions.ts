/**
 * The directive's actions: each route is one workflow Update through the application layer, and a
 * refusal (the validator's, with its reason) comes back as problem+json. A retry with the same
 * Idempotency-Key runs the action once (the key becomes the Update id).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from '../openapi.js';
import {
  CancelBody,
  DelegateBody,
  ReadersBody,
  CompletionBody,
  DecisionBody,
  DirectiveView,
  DirectiveWithExplanation,
  DirectiveWithRequest,
  ExplanationAnswerBody,
  ExplanationBody,
  ExplanationClosingBody,
  ExtensionBody,
  ReassignBody,
  ReportBody,
  ReviewBody,
} from './schemas.js';

const answer = <S extends z.ZodType>(schema: S, description = 'The directive after the action') =>
  ({ 200: { description, content: { 'application/json': { schema } } }, ...problems }) as const;
const route = { method: 'post' as const, tags: ['actions'], security: bearerSecurity };
const action = <P extends string>(path: P, summary: string) =>
  createRoute({ ...route, path, summary, responses: answer(DirectiveView), request: { params: IdParam, headers: IdempotencyHeaders } });
// The path stays a literal type so the typed client sees each action as its own route.
const actionWithBody = <P extends string, S extends z.ZodType, R extends z.ZodType>(path: P, summary: string, body: S, result: R) =>
  createRoute({
    ...route,
    path,
    summary,
    responses: answer(result),
    request: { params: IdParam, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: body } }, required: true } },
  });

const decisionRoute = createRoute({
  ...route,
  path: '/{id}/extension-requests/{requestId}/decision',
  summary: 'Approve or reject an extension request',
  responses: answer(DirectiveView),
  request: {
    params: IdParam.extend({ requestId: z.string().min(1).max(20).openapi({ param: { name: 'requestId', in: 'path' } }) }),
    headers: IdempotencyHeaders,
    body: { content: { 'application/json': { schema: DecisionBody } }, required: true },
  },
});

/** A step on one explanation request: its id in the path, a JSON body, the directive and the request after it. */
const explanationRoute = <P extends string, S extends z.ZodType>(path: P, summary: string, body: S) =>
  createRoute({
    ...route,
    path,
    summary,
    responses: answer(DirectiveWithExplanation),
    request: {
      params: IdParam.extend({ requestId: z.string().min(1).max(20).openapi({ param: { name: 'requestId', in: 'path' }, example: 'gt1' }) }),
      headers: IdempotencyHeaders,
      body: { content: { 'application/json': { schema: body } }, required: true },
    },
  });

const retryOf = (c: Context<AppEnv>) => ({ idempotencyKey: c.req.header('idempotency-key') });

export function directiveActionsApp({ services }: AppDeps) {
  const d = services.directives;
  return newApp()
    .openapi(action('/{id}/acknowledgements', "Acknowledge for the caller's agency"), async (c) =>
      c.json(await d.acknowledge(c.get('principal'), c.req.valid('param').id, retryOf(c)), 200),
    )
    .openapi(actionWithBody('/{id}/reports', "Submit the caller's agency's report for a period", ReportBody, DirectiveView), async (c) =>
      c.json(await d.submitReport(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(
      actionWithBody('/{id}/extension-requests', 'Ask for a later deadline (lead agency); the answer names the request', ExtensionBody, DirectiveWithRequest),
      async (c) => c.json(await d.requestExtension(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(decisionRoute, async (c) => {
      const { id, requestId } = c.req.valid('param');
      return c.json(await d.decideExtension(c.get('principal'), id, requestId, c.req.valid('json'), retryOf(c)), 200);
    })
    .openapi(
      actionWithBody(
        '/{id}/explanation-requests',
        'Ask an assigned agency to explain an overdue item by a date (leader, supervisor); the answer has its own reminders and ladder',
        ExplanationBody,
        DirectiveWithExplanation,
      ),
      async (c) => c.json(await d.requestExplanation(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(explanationRoute('/{id}/explanation-requests/{requestId}/answer', "Answer an explanation request (the agency asked), naming the files attached to it", ExplanationAnswerBody), async (c) => {
      const { id, requestId } = c.req.valid('param');
      return c.json(await d.answerExplanation(c.get('principal'), id, requestId, c.req.valid('json'), retryOf(c)), 200);
    })
    .openapi(explanationRoute('/{id}/explanation-requests/{requestId}/closing', 'Close an explanation request as accepted or not (leader, supervisor)', ExplanationClosingBody), async (c) => {
      const { id, requestId } = c.req.valid('param');
      return c.json(await d.closeExplanation(c.get('principal'), id, requestId, c.req.valid('json'), retryOf(c)), 200);
    })
    .openapi(actionWithBody('/{id}/completion', 'Submit completion (lead agency)', CompletionBody, DirectiveView), async (c) =>
      c.json(await d.submitCompletion(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(actionWithBody('/{id}/completion/review', 'Accept or reject a completion', ReviewBody, DirectiveView), async (c) =>
      c.json(await d.reviewCompletion(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(actionWithBody('/{id}/reassignment', 'Move ownership to other agencies (leader)', ReassignBody, DirectiveView), async (c) =>
      c.json(await d.reassign(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(actionWithBody('/{id}/cancellation', 'Cancel with a reason (leader)', CancelBody, DirectiveView), async (c) =>
      c.json(await d.cancel(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(
      actionWithBody(
        '/{id}/subtasks',
        'Split into sub-tasks for sub-units or named officers of the lead agency (lead agency); each is a directive of its own, due no later than this one',
        DelegateBody,
        DirectiveView,
      ),
      async (c) => c.json(await d.delegate(c.get('principal'), c.req.valid('param').id, c.req.valid('json'), retryOf(c)), 200),
    )
    .openapi(
      createRoute({
        ...route,
        method: 'put',
        path: '/{id}/readers',
        summary: 'Name the readers of a confidential directive (the leader who issued it); the list replaces the one before',
        request: { params: IdParam, body: { content: { 'application/json': { schema: ReadersBody } }, required: true } },
        responses: answer(ReadersBody),
      }),
      async (c) => c.json(await d.setReaders(c.get('principal'), c.req.valid('param').id, c.req.valid('json').readers), 200),
    );
}
