// One-shot migration entry (docker compose's `migrate` service): `tsx db/migrate.ts`.
import { ConfigError, loadConfig, runMain } from '../config.js';
import { openDatabase } from './client.js';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required to migrate a PostgreSQL database.');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 1 });
  try {
    await database.migrate();
    process.stdout.write(`migrated ${database.location}\n`);
  } finally {
    await database.close();
  }
}

runMain(main);
