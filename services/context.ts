import type { Client } from '@temporalio/client';
import type { Config, Logger } from '../config.js';
import type { Database } from '../db/database.js';
import type { Listen } from '../db/client.js';
import type { Role } from '../domain/lists.js';
import type { ConclusionParser } from './conclusion-parser.js';

/** Who is asking, once authenticated (a bearer token, or a web session): the role and agency are all scope depends on. */
export type Principal = {
  userId: string;
  name: string;
  role: Role;
  agencyId: string | null;
};

export type ServiceDeps = {
  db: Database;
  temporal: Client;
  /** `report`: who the Word reports say issues them; the configuration's defaults when absent. */
  config: {
    temporal: Pick<Config['temporal'], 'namespace' | 'taskQueue' | 'uiUrl'>;
    report?: Config['report'] | undefined;
    /** Absent: the default limit (25 MB). */
    attachments?: Config['attachments'] | undefined;
    /** Absent: webhooks may only target public addresses. */
    notify?: Pick<Config['notify'], 'webhookAllowPrivateTargets'> | undefined;
  };
  logger: Logger;
  /** LISTEN on the read model, for the web app's live pages; without it they do not update by themselves. */
  listen?: Listen | undefined;
  /** Where imported conclusions are parsed: a pool of worker threads unless given (a benchmark's comparison). */
  conclusionParser?: ConclusionParser | undefined;
};
