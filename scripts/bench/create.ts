/**
 * Creating directives end to end (POST /v1/directives until the projection row exists) against starting an
 * empty workflow and seeing it finish on the same Temporal server, at concurrency 16, in alternating rounds;
 * the POST's own p95; and a conference of 50 directives issued in one call, until all 50 rows exist.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { directives } from '../../db/schema.js';
import { cpuSplit, fixedBar, percentile, pool, relativeBar, withTimeout, type Bar, type BenchModule } from './harness.js';
import { seedLists } from './lists.js';
import { startBenchSystem, type BenchSystem } from './system.js';

const CONCURRENCY = 16;
const POST_P95_LIMIT_MS = 100;
const CONFERENCE_LIMIT_S = 2;

async function rowsExist(sys: BenchSystem, ids: string[]): Promise<boolean> {
  const [row] = await sys.db.select({ n: sql<number>`count(*)::int` }).from(directives).where(inArray(directives.id, ids));
  return (row?.n ?? 0) === ids.length;
}

function directiveBody(n: number, lead: string, coordinating: string[]) {
  return {
    title: `Rà soát, giải quyết dứt điểm đơn thư tồn đọng số ${n}`,
    body: 'Tập trung chỉ đạo rà soát, phân loại và giải quyết các vụ việc khiếu nại, tố cáo kéo dài; báo cáo kết quả hằng tháng.',
    leadAgency: lead,
    coordinatingAgencies: coordinating,
    dueDate: '2027-06-30',
    regime: { kind: 'monthly' },
  };
}

export const createBench: BenchModule = {
  name: 'create',
  async run(ctx) {
    const perRound = ctx.quick ? 80 : 500;
    const rounds = ctx.quick ? 2 : 4;
    const conferences = 5;
    const sys = await startBenchSystem('create');
    // How the rate grows with the table: BENCH_CREATE_EXISTING=100000 seeds that many directives first, as the
    // lists benchmark seeds them (assignments, versions, 15 agencies), before anything is timed.
    const existing = Number(process.env.BENCH_CREATE_EXISTING ?? 0);
    if (existing > 0) {
      const raw = postgres(sys.config.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        await seedLists(raw, existing, ctx.log);
      } finally {
        await raw.end();
      }
    }
    const connection = await NativeConnection.connect({ address: sys.temporalAddress });
    const emptyQueue = `bench-empty-${randomUUID().slice(0, 8)}`;
    const emptyWorker = await Worker.create({
      connection,
      namespace: sys.config.temporal.namespace,
      taskQueue: emptyQueue,
      workflowsPath: fileURLToPath(new URL('./empty-workflow.ts', import.meta.url)),
    });
    const emptyRun = emptyWorker.run();
    const client = new Client({ connection: await Connection.connect({ address: sys.temporalAddress }), namespace: sys.config.temporal.namespace });
    try {
      const leader = await sys.user('leader');
      const [lead, coord] = [await sys.agency('Sở Tư pháp'), await sys.agency('Công an tỉnh')];
      // Warm both paths (bundles loaded, connections open, caches filled) before anything is timed.
      await pool(20, CONCURRENCY, async () => {
        await client.workflow.execute('benchEmptyWorkflow', { taskQueue: emptyQueue, workflowId: `empty-${randomUUID()}` });
      });
      await pool(20, CONCURRENCY, async (i) => {
        const res = await sys.call('POST', '/v1/directives', { token: leader.token, body: directiveBody(i, lead.code, [coord.code]) });
        if (res.status !== 201) throw new Error(`warm-up POST answered ${res.status}: ${await res.text()}`);
      });

      const pairs: Array<[number, number]> = [];
      const postLatencies: number[] = [];
      const p95s: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const raw = await pool(perRound, CONCURRENCY, async () => {
          await client.workflow.execute('benchEmptyWorkflow', { taskQueue: emptyQueue, workflowId: `empty-${randomUUID()}` });
        });
        const roundPosts: number[] = [];
        const cpu = cpuSplit(sys.temporalPid);
        const product = await pool(perRound, CONCURRENCY, async (i) => {
          const t0 = performance.now();
          const res = await sys.call('POST', '/v1/directives', { token: leader.token, body: directiveBody(r * perRound + i, lead.code, [coord.code]) });
          roundPosts.push(performance.now() - t0);
          if (res.status !== 201) throw new Error(`POST /v1/directives answered ${res.status}: ${await res.text()}`);
          const { id } = (await res.json()) as { id: string };
          await withTimeout(sys.recorded(id), 30_000, `the projection row of ${id}`);
        });
        ctx.log(`directives: ${cpu()}`);
        // What a POST waits on at least: the start RPC alone, on the same server, at the same concurrency.
        const startRpc = await pool(Math.min(perRound, 100), CONCURRENCY, async () => {
          await client.workflow.start('benchEmptyWorkflow', { taskQueue: emptyQueue, workflowId: `empty-${randomUUID()}` });
        });
        ctx.log(`start RPC alone: p50 ${percentile(startRpc.latencies, 50).toFixed(0)} ms, p95 ${percentile(startRpc.latencies, 95).toFixed(0)} ms`);
        const rawRate = perRound / raw.seconds;
        const rate = perRound / product.seconds;
        pairs.push([rate, rawRate]);
        postLatencies.push(...roundPosts);
        p95s.push(percentile(roundPosts, 95));
        ctx.log(`round ${r + 1}: ${rate.toFixed(1)} directives/s end to end, ${rawRate.toFixed(1)} empty workflows/s, POST p50 ${percentile(roundPosts, 50).toFixed(0)} ms p95 ${percentile(roundPosts, 95).toFixed(0)} ms`);
      }

      const conferenceSeconds: number[] = [];
      for (let r = 0; r < conferences; r++) {
        const t0 = performance.now();
        const res = await sys.call('POST', '/v1/conferences', {
          token: leader.token,
          body: {
            title: `Hội nghị giao ban khối Nội chính lần ${r + 1}`,
            kind: 'giao_ban',
            directives: Array.from({ length: 50 }, (_, i) => directiveBody(i, i % 2 ? lead.code : coord.code, [])),
          },
        });
        if (res.status !== 201) throw new Error(`POST /v1/conferences answered ${res.status}: ${await res.text()}`);
        const issued = (await res.json()) as { directives: Array<{ id: string }> };
        const tPost = performance.now() - t0;
        const ids = issued.directives.map((d) => d.id);
        // When each row was told of: a straggler shows as a last far behind the median.
        const seen: number[] = [];
        ids.forEach((id) => void sys.recorded(id).then(() => seen.push(performance.now() - t0)));
        await withTimeout(Promise.all(ids.map((id) => sys.recorded(id))), 60_000, 'the conference’s 50 projection rows');
        if (!(await rowsExist(sys, ids))) throw new Error('told of 50 issued directives whose rows are not all there');
        conferenceSeconds.push((performance.now() - t0) / 1000);
        seen.sort((a, b) => a - b);
        ctx.log(`conference ${r + 1}: 50 directives in ${conferenceSeconds.at(-1)!.toFixed(2)} s (POST ${tPost.toFixed(0)} ms; recorded first ${seen[0]?.toFixed(0)} p50 ${seen[25]?.toFixed(0)} last ${seen.at(-1)?.toFixed(0)} ms)`);
      }

      const bars: Bar[] = [
        relativeBar('create.rate', pairs, 'directives/s', 'empty workflows/s', 0.7, 'atLeast', `${perRound} per round, concurrency ${CONCURRENCY}`),
        fixedBar('create.postP95', p95s, 'ms', POST_P95_LIMIT_MS, `p50 ${percentile(postLatencies, 50).toFixed(0)} ms over ${postLatencies.length} POSTs`),
        fixedBar('conference.50', conferenceSeconds, 's', CONFERENCE_LIMIT_S, 'one POST /v1/conferences until all 50 rows exist'),
      ];
      return bars;
    } finally {
      emptyWorker.shutdown();
      await emptyRun;
      await client.connection.close();
      await connection.close();
      await sys.down();
    }
  },
};
