/**
 * Where attached files' bytes live. Their metadata (`attachment_blobs`: hash, size, type, location) is always in
 * PostgreSQL; the bytes are either in PostgreSQL too (`attachment_chunks`, 512 KB rows) or in an S3 (or
 * S3-compatible) bucket, one object per SHA-256 keyed `<prefix><sha256>`. A blob is read from the store its row
 * names, so a change of configuration leaves every file stored before readable.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { and, eq } from 'drizzle-orm';
import type { AttachmentS3Config, Logger } from '../config.js';
import type { Database, Tx } from '../db/client.js';
import { attachmentChunks } from '../db/schema.js';
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
  };
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
