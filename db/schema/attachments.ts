/** Files: each stored once per SHA-256 (in chunks, or in an S3 bucket), and attached to directives. */
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AttachmentKind } from '../../domain/lists.js';
import { createdAt, bytea } from './columns.js';

/**
 * An attached file's content, stored once per SHA-256 however often it is attached (content-addressed), in
 * chunks of its own table so that neither a write nor a download holds a whole file in memory, and the read
 * model stays small. `content_type` is what the content is (file-type), never what its name says.
 * `location` is where its bytes are: `postgres` (attachment_chunks) or `s3` (the configured bucket, keyed
 * `<prefix><sha256>`); a file is read from there whatever the store configured now.
 */
export const attachmentBlobs = pgTable('attachment_blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  location: text('location').$type<'postgres' | 's3'>().notNull().default('postgres'),
  createdAt: createdAt(),
});

export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => attachmentBlobs.sha256),
    n: integer('n').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.n] })],
);

/** A file attached to a directive: its source document, a report's, the completion's or an explanation's. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    directiveId: uuid('directive_id').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => attachmentBlobs.sha256),
    filename: text('filename').notNull(),
    kind: text('kind').$type<AttachmentKind>().notNull(),
    /** A report's period (the kind `report`), or the explanation request answered (`explanation`); null otherwise. */
    deadlineKey: text('deadline_key'),
    uploadedBy: uuid('uploaded_by'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // By hash too: the blob collector and a blob's delete ask which attachments name it.
  (t) => [index('attachments_directive_idx').on(t.directiveId), index('attachments_sha256_idx').on(t.sha256)],
);
