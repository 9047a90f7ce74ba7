import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { loadCalendarOfRecord } from './calendar-of-record.js';
import { backfillFacts } from './facts.js';
import * as schema from './schema.js';

import type { Database } from './database.js';

export type DatabaseHandle = {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for logs: a URL without its password, or the PGlite directory. */
  location: string;
  /** Applies the committed migrations, then the data steps a release needs (db/facts.ts backfill). */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** LISTEN on a channel; NOTIFY from any transaction (any process, for PostgreSQL) arrives after it commits. */
  listen: Listen;
  close(): Promise<void>;
};

export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any constant works; it only has to be the same for every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_143_202_411;

export type OpenDatabaseOptions =
  | { databaseUrl: string; maxConnections?: number }
  /** `dir: undefined` keeps PGlite in memory (tests). */
  | { databaseUrl?: undefined; pgliteDir: string | undefined };

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  return openPglite('pgliteDir' in options ? options.pgliteDir : undefined);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Error codes of postgres.js and PostgreSQL that mean "the database cannot be reached", not "the query is wrong". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Whether `err` (or what it wraps: drizzle wraps the driver's error) says the database is out of reach. */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  }
  return false;
}

/** A connection attempt gives up after this long, so a request during an outage is answered, not left hanging. */
const CONNECT_TIMEOUT_SECONDS = 5;

/**
 * Settings of every session the product opens. postgres.js prepares every statement, and PostgreSQL keeps a
 * generic plan for one after five runs that cost alike: planned without its values (a page's LIMIT, a filter's
 * value, a search phrase) it walked the table where the values would have let it stop after a page. Five searches
 * for a common word made a rare phrase take 50 ms instead of 8 at 100,000 directives (160 ms for an officer), on
 * that connection, from then on. Every statement is planned for its own values; planning a page costs well under
 * a millisecond.
 */
export const SESSION_SETTINGS = { plan_cache_mode: 'force_custom_plan' } as const;

function openPostgres(url: string, max: number): DatabaseHandle {
  const client = postgres(url, {
    max,
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    onnotice: () => {},
    connection: SESSION_SETTINGS,
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    location: redact(url),
    async migrate() {
      // A session-level advisory lock needs one connection for lock, migration and unlock.
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder });
          await backfillFacts(db);
          await loadCalendarOfRecord(db);
        } finally {
          await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        await lockClient.end();
      }
    },
    async ping() {
      await client`select 1`;
    },
    async listen(channel, onPayload) {
      // postgres.js keeps one extra connection for all of a client's listeners and reconnects it.
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dir: string | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dir) fs.mkdirSync(path.dirname(dir), { recursive: true });
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    location: dir ?? '(in memory)',
    async migrate() {
      // PGlite is single-connection and in-process: nothing else can migrate concurrently.
      await migrate(drizzle(client), { migrationsFolder });
      await backfillFacts(db);
      await loadCalendarOfRecord(db);
    },
    async ping() {
      await client.query('select 1');
    },
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    async close() {
      await client.close();
    },
  };
}
