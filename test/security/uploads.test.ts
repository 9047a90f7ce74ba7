import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { count, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../http/app.js';
import { loadConfig, type AttachmentS3Config } from '../../config.js';
import { attachmentBlobs, attachmentChunks, attachments, directives } from '../../db/schema.js';
import { freePort, gofakes3Path } from '../../scripts/temporal-server.js';
import { s3Client } from '../../db/blob-store.js';
import { createServices } from '../../services/index.js';
import { BLOB_COLLECTION_SCHEDULE_ID, ensureBlobCollectionSchedule } from '../../temporal/client.js';
import { pdf } from '../files.js';
import { createAgency, createUserWithId, eventually, freshDatabase, json, startWorld, type World } from '../support.js';

/**
 * A refused upload stores nothing, and bytes no attachment names are collected (review 2026-12, finding 6): on the
 * real Temporal server, a database of this file's own (the collector sees every blob of its database) and a
 * gofakes3 bucket of its own.
 */
const BUCKET = 'refused-uploads';
const PREFIX = 'attachments/';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let world: World;
let fake: ChildProcess | undefined;
let fakeExited: Promise<unknown> = Promise.resolve();
let bucket: S3Client;
let s3: AttachmentS3Config;
/** The API storing in PostgreSQL; world.app stores in the bucket. */
let pgApp: App;

beforeAll(async () => {
  const bin = gofakes3Path();
  if (!fs.existsSync(bin)) throw new Error(`gofakes3 is not built (${bin} is missing): run \`npm run temporal:install\`.`);
  const port = await freePort();
  const child = spawn(bin, ['-host', `127.0.0.1:${port}`, '-backend', 'memory', '-initialbucket', BUCKET, '-quiet'], { stdio: 'ignore' });
  fake = child;
  fakeExited = new Promise((resolve) => child.once('exit', resolve));
  const c = loadConfig({ ATTACHMENT_S3_BUCKET: BUCKET, ATTACHMENT_S3_ENDPOINT: `http://127.0.0.1:${port}`, ATTACHMENT_S3_ACCESS_KEY_ID: 'k', ATTACHMENT_S3_SECRET_ACCESS_KEY: 's' }).attachments.s3;
  if (!c) throw new Error('ATTACHMENT_S3_BUCKET did not turn S3 on');
  s3 = c;
  bucket = s3Client(s3);
  await eventually(() => bucket.send(new HeadBucketCommand({ Bucket: BUCKET })).then(() => true), 10_000);
  database = await freshDatabase();
  world = await startWorld({ database, attachments: { maxBytes: 25 * 1024 * 1024, s3 } });
  const logger = pino({ level: 'silent' });
  const services = createServices({ db: world.db, temporal: world.client, config: { temporal: { namespace: 'default', taskQueue: world.taskQueue, uiUrl: undefined } }, logger });
  pgApp = createApp({ services, config: { http: { rateLimitPerMinute: 100_000, publicUrl: 'http://test', trustedProxies: 0, checkHost: false }, ops: { endpoints: 'open', token: undefined }, temporal: { metricsAddress: undefined } }, logger });
}, 60_000);

afterAll(async () => {
  await world?.close();
  await database?.drop();
  bucket?.destroy();
  if (fake && fake.exitCode === null) {
    fake.kill('SIGTERM');
    await fakeExited;
  }
});

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const upload = (app: App, token: string, directiveId: string, query: string, bytes: Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'bao-cao.pdf');
  return app.request(`/v1/directives/${directiveId}/attachments?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
};
const blobRows = async (sha256: string) => (await world.db.select({ n: count() }).from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256)))[0]!.n;
const chunkRows = async (sha256: string) => (await world.db.select({ n: count() }).from(attachmentChunks).where(eq(attachmentChunks.sha256, sha256)))[0]!.n;
const objects = async (sha256: string) => ((await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}${sha256}` }))).Contents ?? []).length;
/** Nothing of these bytes anywhere: no row, no chunk, no object. */
const nowhere = async (sha256: string) => ({ rows: await blobRows(sha256), chunks: await chunkRows(sha256), objects: await objects(sha256) });

/** An open directive led by a fresh agency, and an officer of it. */
async function directive(): Promise<{ id: string; officer: string }> {
  const lead = await createAgency(world.db, 'So Xay dung');
  const officer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
  const res = await world.call('POST', '/v1/directives', { body: { title: 'Báo cáo tiến độ', leadAgency: lead.id, regime: { kind: 'quarterly' }, dueDate: `${new Date().getUTCFullYear() + 1}-06-30` } });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
  return { id, officer: officer.token };
}

describe('a refused upload', () => {
  for (const door of ['PostgreSQL', 'S3'] as const) {
    it(`leaves no blob behind, in ${door}`, async () => {
      const app = door === 'S3' ? world.app : pgApp;
      const d = await directive();

      // A period the directive does not have: refused before a byte is stored.
      const unknownPeriod = pdf(`Ky khong co ${randomUUID()}`);
      const refusedPeriod = await upload(app, d.officer, d.id, 'kind=report&deadlineKey=NO-SUCH-PERIOD', unknownPeriod);
      expect(refusedPeriod.status).toBe(404);
      expect(await nowhere(sha256Of(unknownPeriod))).toEqual({ rows: 0, chunks: 0, objects: 0 });

      // A cancelled directive: refused before a byte is stored.
      const cancelled = await directive();
      expect((await world.call('POST', `/v1/directives/${cancelled.id}/cancellation`, { body: { reason: 'Không còn cần' } })).status).toBe(200);
      await eventually(() => world.db.select().from(directives).where(eq(directives.id, cancelled.id)), (rows) => rows[0]?.status === 'cancelled');
      const late = pdf(`Da huy ${randomUUID()}`);
      const refusedClosed = await upload(app, world.adminToken, cancelled.id, 'kind=source', late);
      expect(refusedClosed.status).toBe(409);
      expect(await nowhere(sha256Of(late))).toEqual({ rows: 0, chunks: 0, objects: 0 });

      // The read model says open, but the directive's run is gone: only the workflow refuses, after the bytes were
      // stored. They go again; bytes another attachment names stay.
      const gone = randomUUID();
      const [lead] = await world.db.select({ leadAgencyId: directives.leadAgencyId }).from(directives).where(eq(directives.id, d.id));
      await world.db.insert(directives).values({ id: gone, workflowId: `directive-${gone}`, title: 'Không còn chạy', leadAgencyId: lead!.leadAgencyId, status: 'in_progress', timeliness: 'no_deadline', issuedAt: new Date(), lastSeq: 1 });
      const orphan = pdf(`Khong ai nhan ${randomUUID()}`);
      const refusedGone = await upload(app, d.officer, gone, 'kind=report', orphan);
      expect(refusedGone.status).toBe(409);
      expect(await nowhere(sha256Of(orphan))).toEqual({ rows: 0, chunks: 0, objects: 0 });

      const shared = pdf(`Dung chung ${randomUUID()}`);
      const kept = await upload(app, d.officer, d.id, 'kind=report', shared);
      expect(kept.status).toBe(201);
      expect((await upload(app, d.officer, gone, 'kind=report', shared)).status).toBe(409);
      expect(await blobRows(sha256Of(shared))).toBe(1);
      const back = await app.request(`/v1/attachments/${(await json(kept)).id}`, { headers: { authorization: `Bearer ${d.officer}` } });
      expect(Buffer.from(await back.arrayBuffer()).equals(shared)).toBe(true);
    }, 60_000);
  }
});

describe('the blob collector', () => {
  it('takes blobs and bucket objects no attachment names once past the grace period, and spares what is younger or named', async () => {
    const d = await directive();
    const insertBlob = async (bytes: Buffer, location: 'postgres' | 's3', hoursAgo: number) => {
      const sha256 = sha256Of(bytes);
      await world.db.insert(attachmentBlobs).values({ sha256, size: bytes.length, contentType: 'application/pdf', location, createdAt: sql`now() - make_interval(hours => ${hoursAgo})` });
      if (location === 'postgres') await world.db.insert(attachmentChunks).values({ sha256, n: 0, bytes });
      else await bucket.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${sha256}`, Body: bytes }));
      return sha256;
    };
    const oldInPostgres = await insertBlob(pdf(`cu PG ${randomUUID()}`), 'postgres', 2);
    const oldInS3 = await insertBlob(pdf(`cu S3 ${randomUUID()}`), 's3', 2);
    const youngInPostgres = await insertBlob(pdf(`moi PG ${randomUUID()}`), 'postgres', 0);
    // Bytes in the bucket that no row names (their row's transaction did not commit).
    const stray = pdf(`lac ${randomUUID()}`);
    await bucket.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${sha256Of(stray)}`, Body: stray }));
    // Named by an attachment, however old.
    const named = pdf(`co ten ${randomUUID()}`);
    const attached = await upload(world.app, d.officer, d.id, 'kind=report', named);
    expect(attached.status).toBe(201);
    await world.db.update(attachmentBlobs).set({ createdAt: sql`now() - interval '2 hours'` }).where(eq(attachmentBlobs.sha256, sha256Of(named)));

    const collect = (graceSeconds: number) =>
      world.client.workflow.execute('blobCollectionWorkflow', { taskQueue: world.taskQueue, workflowId: `blob-collection-test-${randomUUID()}`, args: [{ graceSeconds }], workflowExecutionTimeout: '40 seconds' }) as Promise<{
        blobs: number;
        objects: number;
      }>;
    expect(await collect(3600)).toEqual({ blobs: 2, objects: 0 });
    expect(await nowhere(oldInPostgres)).toEqual({ rows: 0, chunks: 0, objects: 0 });
    expect(await nowhere(oldInS3)).toEqual({ rows: 0, chunks: 0, objects: 0 });
    expect(await nowhere(youngInPostgres)).toEqual({ rows: 1, chunks: 1, objects: 0 });
    expect(await objects(sha256Of(stray))).toBe(1);

    // With no grace at all, what was young goes too; what an attachment names never does.
    expect(await collect(0)).toEqual({ blobs: 1, objects: 1 });
    expect(await nowhere(youngInPostgres)).toEqual({ rows: 0, chunks: 0, objects: 0 });
    expect(await objects(sha256Of(stray))).toBe(0);
    expect(await nowhere(sha256Of(named))).toEqual({ rows: 1, chunks: 0, objects: 1 });
    expect((await world.db.select({ n: count() }).from(attachments).where(eq(attachments.sha256, sha256Of(named))))[0]!.n).toBe(1);

    // It runs on a Schedule an operator sees in the Temporal UI: every hour, on the workers' task queue.
    await ensureBlobCollectionSchedule(world.client, { taskQueue: world.taskQueue });
    try {
      const described = await world.client.schedule.getHandle(BLOB_COLLECTION_SCHEDULE_ID).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'blobCollectionWorkflow', taskQueue: world.taskQueue });
      expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);
    } finally {
      await world.client.schedule.getHandle(BLOB_COLLECTION_SCHEDULE_ID).delete();
    }
  }, 90_000);
});
