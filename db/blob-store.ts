/**
 * Where attached files' bytes live. Their metadata (`attachment_blobs`: hash, size, type, location) is always in
 * PostgreSQL; the bytes are either in PostgreSQL too (`attachment_chunks`, 512 KB rows) or in an S3 (or
 * S3-compatible) bucket, one object per SHA-256 keyed `<prefix><sha256>`. A blob is read from the store its row
 * names, so a change of configuration leaves every file stored before readable.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { and, eq, lt, notExists, sql } from 'drizzle-orm';
import type { AttachmentS3Config, Logger } from '../config.js';
import type { Database, Tx } from './database.js';
import { attachmentBlobs, attachmentChunks, attachments } from './schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';

export type BlobLocation = 'postgres' | 's3';

/** A file received whole into a temporary file, hashed and typed. */
export type BlobFile = { file: string; sha256: string; size: number; contentType: string };

export type BlobStore = {
  readonly location: BlobLocation;
  /**
   * Writes the bytes, inside the transaction that has just inserted the blob's row: a failure here rolls the row
   * back, so no row ever names bytes that are not there.
   */
  put(tx: Tx, blob: BlobFile): Promise<void>;
  /** The bytes as a stream; opened before it is returned, so a store out of reach fails here, not mid-response. */
  get(sha256: string): Promise<ReadableStream<Uint8Array>>;
  /** Removes the bytes, inside the transaction that removes the blob's row (which holds the blob's lock). */
  remove(tx: Tx, sha256: string): Promise<void>;
  /** The hashes of objects written before `before`, whatever names them: a bucket may hold bytes no row names. */
  written?(before: Date): AsyncIterable<string>;
};

const CHUNK_BYTES = 512 * 1024;

/** Bytes in `attachment_chunks`, 512 KB a row, written and read a chunk at a time. */
export function postgresBlobStore(db: Database): BlobStore {
  return {
    location: 'postgres',
    async put(tx, { file, sha256 }) {
      let n = 0;
      for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        await tx.insert(attachmentChunks).values({ sha256, n: n++, bytes: chunk as Buffer });
      }
    },
    async get(sha256) {
      let n = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const [chunk] = await db
            .select({ bytes: attachmentChunks.bytes })
            .from(attachmentChunks)
            .where(and(eq(attachmentChunks.sha256, sha256), eq(attachmentChunks.n, n++)));
          if (chunk) controller.enqueue(new Uint8Array(chunk.bytes));
          else controller.close();
        },
      });
    },
    async remove(tx, sha256) {
      await tx.delete(attachmentChunks).where(eq(attachmentChunks.sha256, sha256));
    },
  };
}

/** Node's and the SDK's ways of saying the server could not be reached or did not answer. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/** Whether an S3 call failed because the store is out of reach or overloaded (worth a retry; a 503), not because it refused. */
export function isStoreUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, $metadata } = e as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number } };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    const status = $metadata?.httpStatusCode;
    // 501 (an unsupported header or operation) is a refusal, not an outage.
    if (typeof status === 'number' && status >= 500 && status !== 501) return true;
  }
  // AggregateError (a host with several addresses, each refused).
  if (err instanceof AggregateError) return err.errors.some(isStoreUnreachable);
  return false;
}

/** Attempts of one S3 call when the store is out of reach, a short pause between them. */
const ATTEMPTS = 3;

export function s3BlobStore(s3: AttachmentS3Config, logger: Logger, client: S3Client = s3Client(s3, logger)): BlobStore {
  const key = (sha256: string) => `${s3.prefix}${sha256}`;
  const where = (sha256: string) => `s3://${s3.bucket}/${key(sha256)}${s3.endpoint ? ` at ${s3.endpoint}` : ''}`;

  /**
   * Runs an S3 call, again (with a fresh request body: a file stream is read once) while the store is out of reach.
   * Out of reach in the end: 503, the request may be retried; any other refusal (access denied, no such bucket):
   * an error with its cause, a logged 500.
   */
  async function call<T>(what: string, sha256: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (!isStoreUnreachable(err)) throw new Error(`${what} ${where(sha256)} failed: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
        if (attempt < ATTEMPTS) {
          await sleep(200 * attempt);
          continue;
        }
        logger.warn({ err, object: where(sha256) }, `attachment store unreachable (${what})`);
        throw new ServiceFailure(FailureType.Unavailable, 'The file store cannot be reached for the moment; nothing was stored. Try again shortly.', 'file-store-unavailable');
      }
    }
  }

  return {
    location: 's3',
    async put(_tx, { file, sha256, size, contentType }) {
      await call('PutObject', sha256, async () => {
        // A fresh stream per attempt, closed whatever the attempt's outcome.
        const body = createReadStream(file);
        try {
          return await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key(sha256), Body: body, ContentLength: size, ContentType: contentType }));
        } finally {
          body.destroy();
        }
      });
    },
    async get(sha256) {
      const out = await call('GetObject', sha256, () => client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key(sha256) })));
      if (!out.Body) throw new Error(`GetObject ${where(sha256)} returned no body`);
      return out.Body.transformToWebStream() as ReadableStream<Uint8Array>;
    },
    async remove(_tx, sha256) {
      await call('DeleteObject', sha256, () => client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key(sha256) })));
    },
    async *written(before) {
      let token: string | undefined;
      do {
        const page = await call('ListObjectsV2', '', () => client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix, ContinuationToken: token })));
        for (const o of page.Contents ?? []) {
          const sha256 = o.Key?.slice(s3.prefix.length) ?? '';
          if (/^[0-9a-f]{64}$/.test(sha256) && o.LastModified && o.LastModified < before) yield sha256;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

/** The stores a blob may be in: PostgreSQL always, the bucket when one is configured. */
export type BlobStores = { postgres: BlobStore; s3: BlobStore | undefined };

export function blobStores(db: Database, s3: AttachmentS3Config | undefined, logger: Logger): BlobStores {
  return { postgres: postgresBlobStore(db), s3: s3 ? s3BlobStore(s3, logger) : undefined };
}

/**
 * One blob's lock, held to the end of the transaction: storing, discarding and sweeping a hash take it, so a blob
 * is never removed while an upload of the same bytes is writing or re-using it.
 */
const lockBlob = (tx: Tx, sha256: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attachment-blob:${sha256}`}, 0))`);

/**
 * When a blob was last stored, exactly (microseconds, as PostgreSQL has it): an upload that stores bytes already
 * there stamps their row again, so neither its own refusal's clean-up (which needs its stamp to stand) nor the
 * collector (which spares what was stamped within its grace period) takes them from under another upload in flight.
 */
const STAMP = sql<string>`${attachmentBlobs.createdAt}::text`;
const NOW = sql`clock_timestamp()`;

/**
 * Stores the content once per hash: a second upload of the same bytes writes nothing more, wherever the first went.
 * The row is inserted first and the bytes written inside its transaction, so a failed write (the bucket out of
 * reach) leaves no row. Returns the blob's stamp, which names this upload's store.
 */
export async function storeBlob(db: Database, to: BlobStore, blob: BlobFile): Promise<string> {
  return db.transaction(async (tx) => {
    await lockBlob(tx, blob.sha256);
    const [kept] = await tx.update(attachmentBlobs).set({ createdAt: NOW }).where(eq(attachmentBlobs.sha256, blob.sha256)).returning({ stamp: STAMP });
    if (kept) return kept.stamp;
    const [fresh] = await tx
      .insert(attachmentBlobs)
      .values({ sha256: blob.sha256, size: blob.size, contentType: blob.contentType, location: to.location, createdAt: NOW })
      .returning({ stamp: STAMP });
    await to.put(tx, blob);
    return fresh!.stamp;
  });
}

/**
 * Removes a blob no attachment names: the one an upload stored before its directive refused it (only while the
 * upload's stamp stands: no other upload has stored the same bytes since), or any older than the grace period.
 * False when it stays.
 */
export async function discardBlob(db: Database, stores: BlobStores, sha256: string, unless: { storedAfter: string } | { graceSeconds: number }): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockBlob(tx, sha256);
    const fresh = 'storedAfter' in unless ? sql`${attachmentBlobs.createdAt} <> ${unless.storedAfter}::timestamptz` : sql`${attachmentBlobs.createdAt} >= now() - make_interval(secs => ${unless.graceSeconds})`;
    const [row] = await tx
      .select({ location: attachmentBlobs.location, fresh: sql<boolean>`${fresh}` })
      .from(attachmentBlobs)
      .where(and(eq(attachmentBlobs.sha256, sha256), notExists(tx.select({ one: sql`1` }).from(attachments).where(eq(attachments.sha256, sha256)))));
    const store = row && stores[row.location];
    if (!row || row.fresh || !store) return false;
    await store.remove(tx, sha256);
    await tx.delete(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256));
    return true;
  });
}

/**
 * Collects what no attachment names, once older than `graceSeconds` (an upload in flight stores its blob before its
 * directive records it): blobs whose upload was refused or failed half-way, and objects in the bucket that no row
 * names (a write whose transaction did not commit). Returns how many of each went.
 */
export async function collectBlobs(db: Database, stores: BlobStores, graceSeconds: number): Promise<{ blobs: number; objects: number }> {
  const unreferenced = await db
    .select({ sha256: attachmentBlobs.sha256 })
    .from(attachmentBlobs)
    .where(
      and(
        lt(attachmentBlobs.createdAt, sql`now() - make_interval(secs => ${graceSeconds})`),
        notExists(db.select({ one: sql`1` }).from(attachments).where(eq(attachments.sha256, attachmentBlobs.sha256))),
      ),
    );
  let blobs = 0;
  for (const { sha256 } of unreferenced) if (await discardBlob(db, stores, sha256, { graceSeconds })) blobs++;
  let objects = 0;
  const bucket = stores.s3;
  if (bucket?.written) {
    for await (const sha256 of bucket.written(new Date(Date.now() - graceSeconds * 1000))) {
      const swept = await db.transaction(async (tx) => {
        await lockBlob(tx, sha256);
        const [named] = await tx.select({ one: sql`1` }).from(attachmentBlobs).where(and(eq(attachmentBlobs.sha256, sha256), eq(attachmentBlobs.location, 's3')));
        if (named) return false;
        await bucket.remove(tx, sha256);
        return true;
      });
      if (swept) objects++;
    }
  }
  return { blobs, objects };
}

/** The SDK's client for the configured bucket; what the SDK says goes to `logger` (else it writes to the console). */
export function s3Client(s3: AttachmentS3Config, logger?: Logger): S3Client {
  const quiet = () => undefined;
  return new S3Client({
    // The SDK's own warnings ("an error was encountered in a non-retryable streaming request") are told again, with
    // their cause, by `call` above: kept at debug.
    logger: {
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: (...content: unknown[]) => logger?.debug({ sdk: content.map(String).join(' ') }, 'S3 client warning'),
      error: (...content: unknown[]) => logger?.warn({ sdk: content.map(String).join(' ') }, 'S3 client error'),
    },
    region: s3.region,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    forcePathStyle: s3.forcePathStyle,
    // undefined: the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role).
    ...(s3.credentials ? { credentials: s3.credentials } : {}),
    // Checksums only where an operation requires one. By default the SDK sends every upload with an aws-chunked
    // body and a CRC32 trailer (x-amz-trailer), which many S3-compatible servers (older MinIO, Ceph, Garage,
    // gofakes3…) reject or store wrongly. The file's SHA-256, computed as it was received, is its key anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Retried by `call` above, which can open the file again; the SDK would resend a stream already read.
    maxAttempts: 1,
    // An address that does not answer fails in seconds, not when the OS gives up; a stalled transfer too.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
  });
}
