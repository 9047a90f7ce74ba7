import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** The read model's database, whichever driver opened it (db/client.ts). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction of a Database: what a function given either must accept. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
