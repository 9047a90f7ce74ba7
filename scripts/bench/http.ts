/**
 * HTTP overhead (DESIGN.md §7): `/healthz` and a small authenticated read (`GET /v1/me`) at ≥ 0.8× the
 * requests per second of a bare Hono app measured in the same run.
 *
 * What is compared, so that the ratio is the cost of the product's middleware stack and nothing else:
 * - the product's API is the one the bench system serves (startSystem: `createApp` behind http/serve.ts) in
 *   this process; the bare app is `new Hono()` with the same two routes behind the same `@hono/node-server`,
 *   also in this process, started after the system so both share the same event loop, heap and neighbours;
 * - the bare `/healthz` answers the same JSON; the bare `/v1/me` does the route's own work, the same
 *   `users.me` query through the same driver and pool size as the product's, for a principal resolved once
 *   at start: what it lacks is exactly the stack (request id, request log, security headers, metrics, body
 *   limit, rate limiter, NUL check, bearer authentication, the OpenAPI route's validation);
 * - the load comes from autocannon in one child process for the whole run (not in this process, where it
 *   would take the servers' CPU; not a new process per round, whose cold JIT would be measured), with the
 *   same connections and duration for both; rounds alternate bare / product and flip the order each round,
 *   so a machine that slows down part-way slows both, and after a warm-up of each so both are JIT-compiled.
 * A round with any non-2xx answer or socket error fails the benchmark: a fast 401 or 429 is not a figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { openDatabase } from '../../db/client.js';
import type { ServiceDeps } from '../../services/context.js';
import { userService } from '../../services/users.js';
import { relativeBar, type Bar, type BenchContext, type BenchModule } from './harness.js';
import { startBenchSystem } from './system.js';

type Load = { url: string; connections: number; seconds: number; headers?: Record<string, string> };
type Result = { rps: number; total: number; non2xx: number; errors: number; timeouts: number; p50: number; p99: number };

/** The load generator's side: plain JavaScript run by `node -e` in the project's folder (so `require` finds autocannon). */
const GENERATOR = `
const autocannon = require('autocannon');
process.on('message', (m) => {
  if (m.exit) process.exit(0);
  autocannon({ url: m.url, connections: m.connections, duration: m.seconds, headers: m.headers || {}, pipelining: 1 }, (err, r) => {
    if (err) return process.send({ error: String(err) });
    process.send({ rps: r.requests.total / m.seconds, total: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, p50: r.latency.p50, p99: r.latency.p99 });
  });
});
process.send({ ready: true });
`;

class Generator {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;

  constructor() {
    this.child = spawn(process.execPath, ['-e', GENERATOR], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) before it was ready`)));
    });
  }

  async run(load: Load): Promise<Result> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.child.once('message', (m: Result & { error?: string }) => {
        if (m.error) return reject(new Error(`autocannon: ${m.error}`));
        if (m.non2xx || m.errors || m.timeouts || m.total === 0) {
          return reject(new Error(`${load.url}: ${m.non2xx} non-2xx answers, ${m.errors} errors, ${m.timeouts} timeouts of ${m.total} requests`));
        }
        resolve(m);
      });
      this.child.send(load);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.send({ exit: true });
  }
}

function listen(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

export const httpBench: BenchModule = {
  name: 'http',
  async run(ctx: BenchContext): Promise<Bar[]> {
    // Full: 5 rounds of 4 s per side and endpoint; quick: 3 of 1 s, so that the module, whose system takes
    // 10–30 s to come up and down on a busy machine, stays near half a minute.
    const rounds = ctx.quick ? 3 : 5;
    const seconds = ctx.quick ? 1 : 4;
    const connections = 10;
    ctx.log('starting the system');
    const sys = await startBenchSystem('http');
    const generator = new Generator();
    // The same pool size as the product's own (openDatabase's default, which startSystem uses).
    const bareDb = await openDatabase({ databaseUrl: sys.config.databaseUrl!, maxConnections: 10 });
    let bare: { url: string; close(): Promise<void> } | undefined;
    try {
      const agency = await sys.agency('Sở Nội vụ (bench)');
      const officer = await sys.user('officer', agency.id);
      const meRes = await sys.call('GET', '/v1/me', { token: officer.token });
      if (meRes.status !== 200) throw new Error(`GET /v1/me answered ${meRes.status}`);
      const me = (await meRes.json()) as { id: string; name: string; role: 'officer'; agencyId: string | null };
      const principal = { userId: me.id, name: me.name, role: me.role, agencyId: me.agencyId };
      const users = userService({ db: bareDb.db } as ServiceDeps);

      const app = new Hono();
      app.get('/healthz', (c) => c.json({ status: 'ok' }));
      app.get('/v1/me', async (c) => c.json(await users.me(principal), 200));
      bare = await listen(app);

      const endpoints: Array<{ bar: string; path: string; headers: Record<string, string> }> = [
        { bar: 'http.healthz', path: '/healthz', headers: {} },
        { bar: 'http.me', path: '/v1/me', headers: { authorization: `Bearer ${officer.token}` } },
      ];
      const bars: Bar[] = [];
      for (const e of endpoints) {
        const product = { url: `${sys.apiUrl}${e.path}`, connections, seconds: 1, headers: e.headers };
        const limit = { url: `${bare.url}${e.path}`, connections, seconds: 1, headers: e.headers };
        await generator.run(limit);
        await generator.run(product);
        const pairs: Array<[number, number]> = [];
        const p99: Array<[number, number]> = [];
        for (let i = 0; i < rounds; i++) {
          const first = i % 2 === 0 ? 'bare' : 'product';
          const a = await generator.run({ ...(first === 'bare' ? limit : product), seconds });
          const b = await generator.run({ ...(first === 'bare' ? product : limit), seconds });
          const [p, l] = first === 'bare' ? [b, a] : [a, b];
          pairs.push([p.rps, l.rps]);
          p99.push([p.p99, l.p99]);
          ctx.log(`${e.path} round ${i + 1}: product ${p.rps.toFixed(0)} req/s (p99 ${p.p99} ms), bare Hono ${l.rps.toFixed(0)} req/s (p99 ${l.p99} ms)`);
        }
        const worstP99 = Math.max(...p99.map(([p]) => p));
        bars.push(relativeBar(e.bar, pairs, 'req/s', 'req/s bare Hono', 0.8, 'atLeast', `${connections} connections, p99 ≤ ${worstP99} ms`));
      }
      return bars;
    } finally {
      generator.stop();
      await bare?.close();
      await bareDb.close();
      await sys.down();
    }
  },
};
