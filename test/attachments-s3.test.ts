import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { and, count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../http/app.js';
import { createLogger, loadConfig, type AttachmentS3Config, type Logger } from '../config.js';
import { attachmentBlobs, attachmentChunks, attachments, directiveEvents, directives } from '../db/schema.js';
import { pdf } from './files.js';
import { freePort, gofakes3Path } from '../scripts/temporal-server.js';
import { s3Client } from '../db/blob-store.js';
import { createServices } from '../services/index.js';
import { createAgency, eventually, expectProblem, json, startWorld, type World } from './support.js';

/**
 * Attachments kept in an S3-compatible bucket: a real gofakes3 server (in memory, on a loopback port, built into
 * .tools/bin by `npm run temporal:install`), the real Temporal server and PostgreSQL, through the JSON API.
 */
const BUCKET = 'directive-files';
const PREFIX = 'attachments/';

let world: World;
let fake: ChildProcess | undefined;
let fakeExited: Promise<unknown> = Promise.resolve();
let endpoint: string;
/** What the test looks in the bucket with. */
let bucket: S3Client;
/** The API with S3 configured; world.app stores in PostgreSQL. */
let s3App: App;
/** The API with S3 configured at an address where nothing listens. */
let deadApp: App;

/** The configuration as an operator would write it. */
const s3Config = (at: string, bucketName = BUCKET): AttachmentS3Config => {
  const c = loadConfig({
    ATTACHMENT_S3_BUCKET: bucketName,
    ATTACHMENT_S3_ENDPOINT: at,
    ATTACHMENT_S3_ACCESS_KEY_ID: 'test-key',
    ATTACHMENT_S3_SECRET_ACCESS_KEY: 'test-secret',
  }).attachments.s3;
  if (!c) throw new Error('ATTACHMENT_S3_BUCKET did not turn S3 on');
  return c;
};

/** The API on the world's database, Temporal and worker, its attachments stored as `s3` says. */
function appWith(s3: AttachmentS3Config, logger: Logger = pino({ level: 'silent' })): App {
  const services = createServices({
    db: world.db,
    temporal: world.client,
    config: { temporal: { namespace: 'default', taskQueue: world.taskQueue, uiUrl: 'http://ui.test' }, attachments: { maxBytes: 25 * 1024 * 1024, s3 } },
    logger,
  });
  return createApp({ services, config: { http: { rateLimitPerMinute: 100_000, publicUrl: 'http://test', trustedProxies: 0, checkHost: false }, ops: { endpoints: 'open', token: undefined }, temporal: { metricsAddress: undefined }, oidc: undefined }, logger });
}

beforeAll(async () => {
  const bin = gofakes3Path();
  if (!fs.existsSync(bin)) {
    throw new Error(`gofakes3 is not built (${bin} is missing): run \`npm run temporal:install\`, which builds it into .tools/bin with Go.`);
  }
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child = spawn(bin, ['-host', `127.0.0.1:${port}`, '-backend', 'memory', '-initialbucket', BUCKET, '-quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  fake = child;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  fakeExited = new Promise((resolve) => child.once('exit', resolve));
  bucket = s3Client(s3Config(endpoint));
  // Up when its bucket answers (a few hundred milliseconds); bounded.
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`gofakes3 exited (${child.exitCode}): ${stderr}`);
      await bucket.send(new HeadBucketCommand({ Bucket: BUCKET }));
      return true;
    },
    10_000,
    50,
  ).catch((err: unknown) => {
    throw new Error(`gofakes3 did not start at ${endpoint}: ${String(err)}\n${stderr}`);
  });

  world = await startWorld();
  s3App = appWith(s3Config(endpoint));
  deadApp = appWith(s3Config(`http://127.0.0.1:${await freePort()}`));
}, 60_000);

afterAll(async () => {
  await world?.close();
  bucket?.destroy();
  if (fake && fake.exitCode === null) {
    fake.kill('SIGTERM');
    await fakeExited;
  }
});

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const upload = (app: App, directiveId: string, name: string, bytes: Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return app.request(`/v1/directives/${directiveId}/attachments?kind=source`, { method: 'POST', headers: { authorization: `Bearer ${world.adminToken}` }, body: form });
};
const download = (app: App, id: string) => app.request(`/v1/attachments/${id}`, { headers: { authorization: `Bearer ${world.adminToken}` } });

async function directive(title: string): Promise<string> {
  const lead = await createAgency(world.db, 'So Tai chinh');
  const { id } = await json(await world.call('POST', '/v1/directives', { body: { title, leadAgency: lead.id } }));
  await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
  return id as string;
}

const blobRow = async (sha256: string) => (await world.db.select().from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256)))[0];
const chunkCount = async (sha256: string) => (await world.db.select({ n: count() }).from(attachmentChunks).where(eq(attachmentChunks.sha256, sha256)))[0]!.n;
const objectsAt = async (key: string) => ((await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }))).Contents ?? []).map((o) => ({ key: o.Key, size: o.Size }));

describe('attachments in S3-compatible storage (gofakes3)', () => {
  it('stores a PDF as one object keyed by its hash, no chunks in PostgreSQL, and serves it back; the same file again is not uploaded again', async () => {
    const id = await directive('Tệp trong S3');
    const bytes = pdf('Luu trong S3');
    const sha256 = sha256Of(bytes);

    const first = await upload(s3App, id, 'Báo cáo quý.pdf', bytes);
    expect(first.status).toBe(201);
    const a = await json(first);
    expect(a).toMatchObject({ directiveId: id, contentType: 'application/pdf', size: bytes.length, sha256 });

    // In the bucket under <prefix><sha256>, with its size and type; nothing in attachment_chunks; the row says where.
    expect(await objectsAt(`${PREFIX}${sha256}`)).toEqual([{ key: `${PREFIX}${sha256}`, size: bytes.length }]);
    const head = await bucket.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${sha256}` }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(head.ContentType).toBe('application/pdf');
    expect(await chunkCount(sha256)).toBe(0);
    expect(await blobRow(sha256)).toMatchObject({ location: 's3', size: bytes.length, contentType: 'application/pdf' });

    const got = await download(s3App, a.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Báo cáo quý.pdf')}`);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    // Marked in the bucket, so that a second upload of the object would show (it would replace the mark).
    await bucket.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${sha256}`, Body: bytes, ContentType: 'application/pdf', Metadata: { mark: 'first' } }));
    const second = await upload(s3App, id, 'ban-sao.pdf', bytes);
    expect(second.status).toBe(201);
    expect((await json(second)).id).not.toBe(a.id);
    expect(await objectsAt(`${PREFIX}${sha256}`)).toHaveLength(1);
    expect((await bucket.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${sha256}` }))).Metadata).toEqual({ mark: 'first' });
    expect((await world.db.select({ n: count() }).from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256)))[0]!.n).toBe(1);
    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.directiveId, id)))[0]!.n).toBe(2);
  }, 30_000);

  it('reads a file stored in PostgreSQL before S3 was configured from PostgreSQL, and does not move it', async () => {
    const id = await directive('Tệp cũ trong PostgreSQL');
    const bytes = pdf('Luu trong PostgreSQL');
    const sha256 = sha256Of(bytes);
    // Stored by the API without S3 (world.app), as before the bucket was configured.
    const before = await upload(world.app, id, 'cu.pdf', bytes);
    expect(before.status).toBe(201);
    const a = await json(before);
    expect(await blobRow(sha256)).toMatchObject({ location: 'postgres' });
    expect(await chunkCount(sha256)).toBeGreaterThan(0);

    const got = await download(s3App, a.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    // The same bytes attached again with S3 on: already stored, so nothing goes to the bucket.
    expect((await upload(s3App, id, 'lai.pdf', bytes)).status).toBe(201);
    expect(await blobRow(sha256)).toMatchObject({ location: 'postgres' });
    expect(await objectsAt(`${PREFIX}${sha256}`)).toEqual([]);
  }, 30_000);

  it('refuses an upload with 503 problem+json when the bucket cannot be reached, leaving no attachment, blob or event', async () => {
    const id = await directive('Kho tệp không kết nối được');
    const bytes = pdf('Khong luu duoc');
    const sha256 = sha256Of(bytes);

    const res = await upload(deadApp, id, 'mat-ket-noi.pdf', bytes);
    expectProblem(res, 503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await json(res)).detail).toMatch(/file store cannot be reached/);
    expect(await blobRow(sha256)).toBeUndefined();
    expect(await chunkCount(sha256)).toBe(0);
    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.directiveId, id)))[0]!.n).toBe(0);
    expect((await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'attachment_added')))).length).toBe(0);

    // The same file once the bucket answers: stored then, in it.
    const ok = await upload(s3App, id, 'mat-ket-noi.pdf', bytes);
    expect(ok.status).toBe(201);
    expect(await blobRow(sha256)).toMatchObject({ location: 's3' });
    // …and a download while it cannot be reached is a 503 too, not a broken body.
    expectProblem(await download(deadApp, (await json(ok)).id), 503);
  }, 30_000);

  it('answers a bucket that refuses (no such bucket) with a 500 whose cause is logged, storing nothing', async () => {
    const id = await directive('Thùng không tồn tại');
    const bytes = pdf('Khong co thung');
    const sha256 = sha256Of(bytes);
    const lines: Record<string, any>[] = [];
    const logger = createLogger({ logLevel: 'info' }, 'api', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const res = await upload(appWith(s3Config(endpoint, 'no-such-bucket'), logger), id, 'khong-thung.pdf', bytes);
    expectProblem(res, 500);
    expect(await blobRow(sha256)).toBeUndefined();
    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.directiveId, id)))[0]!.n).toBe(0);
    const logged = lines.find((l) => l.msg === 'unhandled error');
    expect(logged?.err?.message).toContain(`PutObject s3://no-such-bucket/${PREFIX}${sha256}`);
    expect(logged?.err?.message).toContain('NoSuchBucket');
  }, 30_000);
});
