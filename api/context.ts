import type { Client } from '@temporalio/client';
import type { Config, Logger } from '../config.js';
import type { Database } from '../db/client.js';

export type Principal = {
  userId: string;
  name: string;
  role: 'leader' | 'officer' | 'supervisor' | 'admin';
  agencyId: string | null;
};

export type AppDeps = {
  db: Database;
  temporal: Client;
  config: Pick<Config, 'temporal' | 'http'>;
  logger: Logger;
  /** Requests a client may make to /v1 per minute (default 600). */
  rateLimitPerMinute?: number;
  /** host:port of the Temporal runtime's Prometheus exporter, appended to /metrics. */
  temporalMetricsAddress?: string;
  /** Checks beyond the database and Temporal that /readyz should include. */
  ping?: { db(): Promise<void> };
};

export type AppEnv = { Variables: { principal: Principal; requestId: string } };
