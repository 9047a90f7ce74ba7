import { createRoute, z } from '@hono/zod-openapi';
import { PERIODIC_REGIMES } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, ProblemSchema, problems } from './openapi.js';

const Span = z.object({ start: z.number().int(), end: z.number().int() }).openapi('TextSpan', {
  description: 'UTF-16 offsets into the NFC-normalised text, end exclusive.',
});
const DocumentRef = z
  .object({
    kind: z.string().openapi({ example: 'chi_thi' }),
    kindLabel: z.string().openapi({ example: 'Chỉ thị' }),
    number: z.string().nullable().openapi({ example: '19' }),
    code: z.string().nullable().openapi({ example: 'CT/TU' }),
    ref: z.string().openapi({ example: '19-CT/TU' }),
    date: z.string().nullable().openapi({ example: '2021-05-26' }),
    issuer: z.string().nullable().openapi({ example: 'Ban Thường vụ Tỉnh ủy' }),
    title: z.string().nullable(),
    span: Span,
  })
  .openapi('DocumentReference');
const AgencyMention = z
  .object({
    agencyId: z.string(),
    code: z.string(),
    name: z.string(),
    matched: z.string(),
    role: z.enum(['lead', 'coordinating', 'mentioned']),
    span: Span,
  })
  .openapi('AgencyMention');
const RegimeKind = z.enum(PERIODIC_REGIMES);
const DeadlineHint = z
  .object({
    text: z.string(),
    span: Span,
    kind: z.string().openapi({ example: 'quarter' }),
    dueDate: z.string().nullable(),
    regime: RegimeKind.nullable(),
  })
  .openapi('DeadlineHint');
const AgencyPick = z.object({ agencyId: z.string(), code: z.string() });
const Draft = z
  .object({
    index: z.number().int(),
    marker: z.string(),
    title: z.string(),
    body: z.string(),
    span: Span,
    confidence: z.number(),
    references: z.array(DocumentRef),
    agencies: z.array(AgencyMention),
    leadAgency: AgencyPick.nullable(),
    coordinatingAgencies: z.array(AgencyPick),
    deadline: DeadlineHint.nullable(),
    deadlineFrom: z.enum(['item', 'passage']).nullable().openapi({ description: "Whether the deadline is the draft's own or its passage's time frame" }),
    timeFrame: DeadlineHint.nullable().openapi({ description: 'The time frame set once for the passage the draft stands in ("Trong quý IV, …:")' }),
    addressee: z
      .object({ text: z.string(), span: Span, matched: z.boolean() })
      .nullable()
      .openapi({ description: 'The body the draft is addressed to by its lead-in, heading or paragraph; `matched` when the directory knows it' }),
    passage: z.number().int().openapi({ description: 'Which passage of tasks the draft belongs to, 1-based' }),
    regime: RegimeKind.nullable(),
    suggested: z
      .object({
        title: z.string(),
        body: z.string(),
        leadAgency: z.string().nullable().openapi({ description: 'An agency code, or null: the leader chooses' }),
        coordinatingAgencies: z.array(z.string()),
        dueDate: z.string().nullable(),
        regime: z.object({ kind: RegimeKind }).nullable(),
      })
      .openapi({ description: 'The draft as an entry of `POST /v1/conferences` `directives`, once the leader has reviewed it.' }),
  })
  .openapi('DraftDirective');
const ImportResult = z
  .object({
    statedCount: z.number().int().nullable(),
    leadIn: z.object({ text: z.string(), span: Span }).nullable(),
    addressees: z.array(AgencyMention),
    drafts: z.array(Draft),
    references: z.array(DocumentRef),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), span: Span.optional() })),
    listKind: z.string().nullable().openapi({ description: 'The form of the first task list: parenthesised, numbered, lettered, bulleted, or sentences (prose)' }),
    referenceDate: z.string().nullable(),
    passages: z
      .array(z.object({ kind: z.enum(['tasks', 'assessment', 'closing']), span: Span, excerpt: z.string() }))
      .openapi({ description: 'The text in order: what was read as tasks, skipped as assessment, or the closing' }),
    unmatchedMentions: z
      .array(z.object({ text: z.string(), span: Span }))
      .openapi({ description: 'Addressed bodies the directory does not know: map each once (`POST /v1/agencies/{id}/aliases`)' }),
  })
  .openapi('ConclusionImport');
const ImportBody = z
  .object({
    text: z.string().openapi({ description: "The conclusion's text (Vietnamese prose, any Unicode normal form)." }),
    heldOn: z.iso.date().optional().openapi({ description: 'The conference day: a date written without a year falls in its year.' }),
  })
  .strict()
  .openapi('ConclusionText');

/** `POST /v1/conferences/import`: a conclusion's text in, draft directives out; nothing is issued. */
export function conclusionImportApp({ services }: AppDeps) {
  const app = newApp();
  app.post('/', requirePermission('importConclusions'));
  return app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['conferences'],
      summary: "Turn a conference's conclusion into draft directives for review (leader); issues nothing",
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: ImportBody } }, required: true } },
      responses: {
        200: { description: 'The drafts, with their sources in the text', content: { 'application/json': { schema: ImportResult } } },
        ...problems,
        413: { description: 'The text is longer than a conclusion can be.', content: { 'application/problem+json': { schema: ProblemSchema } } },
      },
    }),
    async (c) => {
      const { text, heldOn } = c.req.valid('json');
      // The caller has the text; the spans point into its NFC form.
      const { text: _normalized, ...drafts } = await services.conclusions.importText(c.get('principal'), text, heldOn);
      return c.json(drafts, 200);
    },
  );
}
