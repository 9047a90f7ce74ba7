import { createRoute, z } from '@hono/zod-openapi';
import { downloadHeaders } from '../http/shared/downloads.js';
import { ATTACHMENT_KINDS } from '../domain/lists.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, IdParam, newApp, problems } from './openapi.js';

const Attachment = z
  .object({
    id: z.uuid(),
    directiveId: z.uuid(),
    kind: z.enum(ATTACHMENT_KINDS),
    deadlineKey: z.string().nullable().openapi({ description: "A report's period, or the explanation request's id" }),
    filename: z.string(),
    contentType: z.string().openapi({ description: 'Read from the content, not the name' }),
    size: z.number().int(),
    sha256: z.string(),
    uploadedBy: z.uuid().nullable(),
    uploadedAt: z.string(),
    links: z.object({ download: z.string() }),
  })
  .openapi('Attachment');

const UploadQuery = z.object({
  kind: z
    .enum(ATTACHMENT_KINDS)
    .openapi({ description: "The directive's source document (leader, admin), a report's file (an assigned agency), the completion's (the lead), an explanation's (the agency asked)" }),
  deadlineKey: z.string().min(1).max(50).optional().openapi({ description: "A report's period, or (kind explanation) the explanation request's id, e.g. gt1" }),
});

/**
 * Attaching files to a directive and reading them back. The upload is streamed (busboy), so it is not validated
 * by a schema that would read the body whole; its route is documented by hand.
 */
export function directiveAttachmentsApp({ services }: AppDeps) {
  const app = newApp();
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{id}/attachments',
    tags: ['attachments'],
    summary: 'Attach a file (multipart/form-data, field "file"): streamed, at most ATTACHMENT_MAX_BYTES (25 MB), its type read from its content',
    security: bearerSecurity,
    request: {
      params: IdParam,
      query: UploadQuery,
      body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) } }, required: true },
    },
    responses: {
      201: { description: 'Attached and recorded in the history (id, SHA-256 and size)', content: { 'application/json': { schema: Attachment } } },
      ...problems,
      413: { description: 'Larger than the limit; nothing stored' },
      415: { description: 'The content is not a document type that may be attached' },
    },
  });
  app.post('/:id/attachments', async (c) => {
    const length = c.req.header('content-length');
    const ask = { kind: c.req.query('kind') ?? '', deadlineKey: c.req.query('deadlineKey') || undefined };
    const attachment = await services.attachments.upload(c.get('principal'), c.req.param('id'), ask, {
      body: c.req.raw.body,
      contentType: c.req.header('content-type'),
      contentLength: length === undefined ? undefined : Number(length),
    });
    return c.json(attachment, 201, { location: attachment.links.download });
  });

  return app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/attachments',
      tags: ['attachments'],
      summary: "A directive's attachments, oldest first",
      security: bearerSecurity,
      request: { params: IdParam },
      responses: { 200: { description: 'Its files', content: { 'application/json': { schema: z.object({ items: z.array(Attachment) }) } } }, ...problems },
    }),
    async (c) => {
      const { items, confidential } = await services.attachments.list(c.get('principal'), c.req.valid('param').id);
      // A confidential directive's file names are a read of it: audited.
      if (confidential) c.set('auditRead', true);
      return c.json({ items }, 200);
    },
  );
}

export function attachmentsApp({ services }: AppDeps) {
  const app = newApp();
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{id}',
    tags: ['attachments'],
    summary: 'Download an attached file (scoped like its directive; `?inline=1` for a PDF shown in the browser)',
    security: bearerSecurity,
    request: { params: IdParam, query: z.object({ inline: z.enum(['1']).optional() }) },
    responses: { 200: { description: 'The file, with its type and Content-Disposition' }, ...problems },
  });
  app.get('/:id', async (c) => {
    const { attachment, body, confidential } = await services.attachments.download(c.get('principal'), c.req.param('id'));
    // A confidential directive's file is a read of it: audited.
    if (confidential) c.set('auditRead', true);
    return c.body(body, 200, downloadHeaders(attachment, c.req.query('inline') === '1'));
  });
  return app;
}
