import type { Client } from '@temporalio/client';
import { ConfigError, type Config, type Logger } from '../config.js';
import { ensureBootstrapAdmin } from '../db/bootstrap.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { createServices, type Services } from './index.js';
import { connectClient } from '../temporal/client.js';

export type OpenServices = { services: Services; database: DatabaseHandle; temporal: Client; close(): Promise<void> };

/**
 * The application layer of a standalone process (the API entry, later the web): PostgreSQL migrated, the
 * bootstrap admin in place when ADMIN_TOKEN is set, a Temporal client.
 */
export async function openServices(config: Config, logger: Logger): Promise<OpenServices> {
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required for the standalone API; `npm run dev` runs everything on the embedded database.');
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl });
  await database.migrate();
  if (config.adminToken) await ensureBootstrapAdmin(database.db, config.adminToken);
  const temporal = await connectClient(config.temporal.address ?? 'localhost:7233', config.temporal.namespace);
  return {
    services: createServices({ db: database.db, temporal, config, logger, listen: database.listen }),
    database,
    temporal,
    async close() {
      await temporal.connection.close();
      await database.close();
    },
  };
}
