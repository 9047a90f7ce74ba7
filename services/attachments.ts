/**
 * Files attached to directives: streamed from the request to a temporary file while hashed and counted (never
 * held whole in memory), their type read from their content (file-type), stored once per SHA-256 (in PostgreSQL
 * in chunks of their own table, or in an S3-compatible bucket when one is configured: db/blob-store.ts),
 * and named in the directive's history by id, hash and size only (`attach`). Downloads are scoped exactly like
 * the directive.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Busboy from 'busboy';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { fileTypeFromFile } from 'file-type';
import type { AttachmentS3Config } from '../config.js';
import { storedEvent } from '../db/events.js';
import { attachmentBlobs, attachments, directiveEvents } from '../db/schema.js';
import type { DirectiveState } from '../domain/directive.js';
import { ATTACHMENT_EXTENSIONS, fileName } from '../domain/disposition.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { may } from '../domain/policy.js';
import { attachUpdate, type AttachmentRef } from '../workflows/messages.js';
import { validateAttach } from '../workflows/updates.js';
import { blobStores, discardBlob, storeBlob, type BlobLocation, type BlobStore } from '../db/blob-store.js';
import type { Principal, ServiceDeps } from './context.js';
import { UUID } from './agency-refs.js';
import { deadlinesFrom, explanationsFrom, refusalOf } from './directive-model.js';
import type { DirectiveService } from './directives.js';
import { updateWithin } from '../temporal/client.js';
import { workflowIdFor } from '../workflows/types.js';

export const DEFAULT_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

export type AttachmentKind = AttachmentRef['kind'];
export type AttachmentView = {
  id: string;
  directiveId: string;
  kind: AttachmentKind;
  deadlineKey: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: string;
  links: { download: string };
};

/** The request's body as it arrived, and what it says of itself. */
export type Upload = { body: ReadableStream<Uint8Array> | null; contentType: string | undefined; contentLength: number | undefined };

const tooLarge = (max: number) => new ServiceFailure(FailureType.TooLarge, `An attachment is at most ${max} bytes.`);

export function attachmentService(
  deps: ServiceDeps & {
    directives: DirectiveService;
    maxBytes?: number | undefined;
    /** Set: new files' bytes go to this bucket; unset: to PostgreSQL. Either way each file is read from where it is. */
    s3?: AttachmentS3Config | undefined;
  },
) {
  const { db, temporal, directives: directiveService } = deps;
  const maxBytes = deps.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const stores = blobStores(db, deps.s3, deps.logger);
  /** Where new files go. */
  const writeTo = stores.s3 ?? stores.postgres;
  const storeAt = (location: BlobLocation): BlobStore => {
    const store = stores[location];
    if (!store) {
      // A file stored in S3 while it was configured; the bucket's settings have since been taken away.
      deps.logger.error({ location }, 'an attachment is stored in S3, which is not configured (ATTACHMENT_S3_BUCKET)');
      throw new ServiceFailure(FailureType.Unavailable, 'This file is kept in a file store that is not configured at the moment.', 'file-store-unavailable');
    }
    return store;
  };

  const view = (a: typeof attachments.$inferSelect, b: { contentType: string; size: number }): AttachmentView => ({
    id: a.id,
    directiveId: a.directiveId,
    kind: a.kind,
    deadlineKey: a.deadlineKey,
    filename: a.filename,
    contentType: b.contentType,
    size: b.size,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    uploadedAt: a.uploadedAt.toISOString(),
    links: { download: `/v1/attachments/${a.id}` },
  });

  const refOf = (kind: AttachmentKind, deadlineKey: string | undefined) => ({ kind, deadlineKey: kind === 'report' || kind === 'explanation' ? (deadlineKey ?? null) : null });

  /** Who may attach what, checked before a byte is read (the workflow's validator checks it again). */
  function requireMayAttach(p: Principal, d: { leadAgencyId: string; coordinatingAgencyIds: string[] }, kind: AttachmentKind, deadlineKey: string | undefined) {
    const assigned = p.agencyId !== null && (p.agencyId === d.leadAgencyId || d.coordinatingAgencyIds.includes(p.agencyId));
    // An explanation's file: an assigned agency's here; the workflow checks that it is the agency asked.
    const ok = kind === 'source' ? may(p.role, 'issueDirectives') : kind === 'completion' ? p.agencyId === d.leadAgencyId : assigned;
    if (!ok) throw new ServiceFailure(FailureType.Forbidden, `You may not attach ${kind === 'explanation' ? 'an' : 'a'} ${kind} document to this directive.`);
    if (kind === 'explanation' && !deadlineKey) {
      throw new ServiceFailure(FailureType.Invalid, 'An explanation’s file names its request in deadlineKey.', undefined, [{ location: 'query', pointer: '/deadlineKey', message: 'the explanation request, such as gt1' }]);
    }
  }

  /**
   * The one file of a multipart body, written to `dir` while hashed and counted; refused past the limit.
   * `beforeFile` sees the fields that precede the file (a form's token and choices) and may refuse it unread.
   */
  async function receive(upload: Upload, dir: string, beforeFile: (fields: Record<string, string>) => void): Promise<{ file: string; filename: string; sha256: string; size: number }> {
    if (!upload.body || !upload.contentType?.toLowerCase().startsWith('multipart/form-data')) {
      throw new ServiceFailure(FailureType.Invalid, 'Send the file as multipart/form-data, in a field named "file".');
    }
    const parser = Busboy({ headers: { 'content-type': upload.contentType }, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12 } });
    const file = path.join(dir, 'upload');
    return new Promise((resolve, reject) => {
      let received: Promise<{ filename: string; sha256: string; size: number }> | null = null;
      let refused: unknown = null;
      const fields: Record<string, string> = {};
      parser.on('field', (name, value) => {
        fields[name] ??= value;
      });
      parser.on('file', (field, stream, info) => {
        if (field !== 'file' || received || refused) {
          stream.resume();
          return;
        }
        try {
          beforeFile(fields);
        } catch (err) {
          refused = err;
          stream.resume();
          return;
        }
        const hash = createHash('sha256');
        let size = 0;
        let over = false;
        stream.on('limit', () => {
          over = true;
        });
        const count = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            hash.update(chunk);
            done(null, chunk);
          },
        });
        received = pipeline(stream, count, createWriteStream(file)).then(() => {
          if (over) throw tooLarge(maxBytes);
          return { filename: info.filename ?? '', sha256: hash.digest('hex'), size };
        });
        received.catch(() => undefined);
      });
      parser.on('error', reject);
      parser.on('close', () => {
        if (refused) reject(refused);
        else if (!received) reject(new ServiceFailure(FailureType.Invalid, 'Send the file as multipart/form-data, in a field named "file".'));
        else received.then((r) => resolve({ file, ...r }), reject);
      });
      const body = Readable.fromWeb(upload.body as WebReadableStream<Uint8Array>);
      body.on('error', reject);
      body.pipe(parser);
    });
  }

  /** The events that say what a directive planned and which explanations it asked for: all its validator reads beyond the projection. */
  async function plannedHistory(directiveId: string) {
    const rows = await db
      .select()
      .from(directiveEvents)
      .where(and(eq(directiveEvents.directiveId, directiveId), inArray(directiveEvents.type, ['issued', 'replanned', 'explanation_requested', 'explanation_answered', 'explanation_closed', 'reassigned'])))
      .orderBy(asc(directiveEvents.seq));
    return rows.map((r) => ({ ...storedEvent(r), seq: r.seq, occurredAt: r.occurredAt.toISOString(), actorId: r.actorId }));
  }

  /**
   * What the directive's workflow would refuse (a closed directive, a period it does not have, an explanation
   * request that is not this agency's to answer), asked of the read model before a byte is stored: the workflow's
   * own validator, on the projection and what the history planned. The workflow asks again as it records the file.
   */
  async function requireAttachable(p: Principal, known: DirectiveState, kind: AttachmentKind, deadlineKey: string | undefined): Promise<void> {
    // The live state (a directive the projection has not caught up with yet) has them already.
    const needed = ((kind === 'report' && deadlineKey !== undefined && !known.deadlines) || (kind === 'explanation' && !known.explanations));
    const history = needed ? await plannedHistory(known.directiveId) : [];
    const state: DirectiveState = { ...known, deadlines: known.deadlines ?? deadlinesFrom(history), explanations: known.explanations ?? explanationsFrom(history) };
    try {
      validateAttach(state, { actor: { userId: p.userId, role: p.role, agencyId: p.agencyId }, attachment: { ...refOf(kind, deadlineKey), id: 'not-yet-stored', sha256: '0'.repeat(64), size: 1 } });
    } catch (err) {
      throw refusalOf(err);
    }
  }

  return {
    maxBytes,

    /**
     * Receives one file for a directive. The directive must be visible and the principal allowed to attach
     * this kind before the body is read; a body past the limit is refused with 413 and nothing is stored.
     */
    async upload(
      principal: Principal,
      directiveId: string,
      ask: { kind?: string | undefined; deadlineKey?: string | undefined },
      upload: Upload,
      /** A form's own check of the fields before its file (the web app's form token); the kind may come from them. */
      checkFields?: (fields: Record<string, string>) => void,
    ): Promise<AttachmentView> {
      const kindOf = (k: string | undefined, location: 'query' | 'body'): AttachmentKind => {
        if (k === 'source' || k === 'report' || k === 'completion' || k === 'explanation') return k;
        throw new ServiceFailure(FailureType.Invalid, 'kind is source, report, completion or explanation.', undefined, [
          { location, pointer: '/kind', message: 'source, report, completion or explanation' },
        ]);
      };
      // The route reads its id unvalidated (its body is streamed, not parsed): a malformed one names no directive.
      if (!UUID.test(directiveId)) throw new ServiceFailure(FailureType.NotFound, `No directive ${directiveId}.`);
      const known = await directiveService.visible(principal, directiveId);
      let kind: AttachmentKind | undefined;
      let deadlineKey = ask.deadlineKey;
      if (ask.kind !== undefined || !checkFields) {
        kind = kindOf(ask.kind, 'query');
        requireMayAttach(principal, known, kind, deadlineKey);
        // Known before the body: refused before a byte of it is read.
        await requireAttachable(principal, known, kind, deadlineKey);
      }
      const checkedBefore = kind !== undefined;
      if (upload.contentLength !== undefined && upload.contentLength > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
      const dir = await mkdtemp(path.join(tmpdir(), 'attachment-'));
      try {
        const got = await receive(upload, dir, (fields) => {
          checkFields?.(fields);
          if (kind !== undefined) return;
          kind = kindOf(fields.kind, 'body');
          deadlineKey = fields.deadlineKey || undefined;
          requireMayAttach(principal, known, kind, deadlineKey);
        });
        if (kind === undefined) throw new ServiceFailure(FailureType.Invalid, 'kind is source, report, completion or explanation.');
        if (deadlineKey !== undefined && !/^[\w.-]{1,50}$/.test(deadlineKey)) {
          throw new ServiceFailure(FailureType.Invalid, 'deadlineKey names a report period.', undefined, [{ location: 'query', pointer: '/deadlineKey', message: 'a period key such as R1' }]);
        }
        if (got.size === 0) throw new ServiceFailure(FailureType.Invalid, 'The file is empty.');
        const type = await fileTypeFromFile(got.file);
        if (!type || !ATTACHMENT_EXTENSIONS.has(type.mime)) {
          throw new ServiceFailure(
            FailureType.UnsupportedType,
            `The file's content is ${type ? `${type.mime} (.${type.ext})` : 'of no known document type'}, whatever its name says; attach a PDF, an Office or OpenDocument file, an image or a ZIP.`,
          );
        }
        if (!checkedBefore) await requireAttachable(principal, known, kind, deadlineKey);
        const stamp = await storeBlob(db, writeTo, { file: got.file, sha256: got.sha256, size: got.size, contentType: type.mime });
        const id = randomUUID();
        const ref: AttachmentRef = { id, sha256: got.sha256, size: got.size, ...refOf(kind, deadlineKey) };
        // Recorded in the history first (id, hash, size); the row that names the file follows it.
        try {
          await updateWithin(temporal, () =>
            temporal.workflow.getHandle(workflowIdFor(directiveId)).executeUpdate(attachUpdate, {
              args: [{ actor: { userId: principal.userId, role: principal.role, agencyId: principal.agencyId }, attachment: ref }],
              updateId: `attach-${id}`,
            }),
          );
        } catch (err) {
          // No row will name these bytes: they go now, unless another upload has stored them since (a refusal the
          // read model could not foresee, a directive whose run is gone, no answer in time). What a crash here
          // leaves, the collector takes after its grace period.
          await discardBlob(db, stores, got.sha256, { storedAfter: stamp }).catch((e: unknown) => deps.logger.warn({ err: e, sha256: got.sha256 }, 'a refused upload’s blob was not discarded'));
          throw refusalOf(err);
        }
        const [row] = await db
          .insert(attachments)
          .values({ id, directiveId, sha256: got.sha256, filename: fileName(got.filename, type.mime), kind, deadlineKey: ref.deadlineKey, uploadedBy: principal.userId })
          .returning();
        return view(row!, { contentType: type.mime, size: got.size });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    /** A directive's attachments, oldest first; scoped like the directive. `confidential`: the door audits this read of it. */
    async list(principal: Principal, directiveId: string): Promise<{ items: AttachmentView[]; confidential: boolean }> {
      const known = await directiveService.visible(principal, directiveId);
      const rows = await db
        .select({ a: attachments, contentType: attachmentBlobs.contentType, size: attachmentBlobs.size })
        .from(attachments)
        .innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
        .where(eq(attachments.directiveId, directiveId))
        .orderBy(asc(attachments.uploadedAt), asc(attachments.id));
      return { items: rows.map((r) => view(r.a, r)), confidential: known.confidential === true };
    },

    /** One file's description and its bytes as a stream, from where they are stored; 404 outside the directive's scope. */
    async download(principal: Principal, id: string): Promise<{ attachment: AttachmentView; body: ReadableStream<Uint8Array>; confidential: boolean }> {
      const [row] = UUID.test(id)
        ? await db
            .select({ a: attachments, contentType: attachmentBlobs.contentType, size: attachmentBlobs.size, location: attachmentBlobs.location })
            .from(attachments)
            .innerJoin(attachmentBlobs, eq(attachmentBlobs.sha256, attachments.sha256))
            .where(eq(attachments.id, id))
        : [];
      if (!row) throw new ServiceFailure(FailureType.NotFound, `No attachment ${id}.`);
      let confidential = false;
      try {
        confidential = (await directiveService.visible(principal, row.a.directiveId)).confidential === true;
      } catch (err) {
        if (err instanceof ServiceFailure && err.type === FailureType.NotFound) throw new ServiceFailure(FailureType.NotFound, `No attachment ${id}.`);
        throw err;
      }
      const body = await storeAt(row.location).get(row.a.sha256);
      return { attachment: view(row.a, row), body, confidential };
    },
  };
}

export type AttachmentService = ReturnType<typeof attachmentService>;
