import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

describe('the migrator', () => {
  it('lets several processes start at once on a fresh database: migrations run once under the advisory lock', async () => {
    const config = loadConfig();
    const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
    const name = `dt_migrate_${Date.now()}_${process.pid}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(config.testDatabaseAdminUrl);
    url.pathname = `/${name}`;
    const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: url.toString(), maxConnections: 1 })));
    try {
      await Promise.all(handles.map((h) => h.migrate()));
      const check = postgres(url.toString(), { max: 1 });
      const applied = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const tables = await check`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'directive_events'`;
      await check.end();
      expect(applied[0]?.n).toBeGreaterThanOrEqual(1);
      const files = (await import('node:fs')).readdirSync(new URL('../db/migrations', import.meta.url)).filter((f) => f.endsWith('.sql'));
      expect(applied[0]?.n).toBe(files.length);
      expect(tables[0]?.n).toBe(1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
