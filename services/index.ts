/**
 * The application layer: everything the JSON API (api/) and the web pages do goes through these services,
 * so both doors have the same actions and refuse the same things (ServiceFailure, domain/failures.ts).
 */
import { sql } from 'drizzle-orm';
import { accountService } from './accounts.js';
import { attachmentService } from './attachments.js';
import { auditService } from './audit.js';
import { agencyService } from './agencies.js';
import { principalForToken } from './auth.js';
import { calendarService } from './calendar.js';
import { conclusionService } from './conclusions.js';
import { conferenceService } from './conferences.js';
import type { ServiceDeps } from './context.js';
import { directiveService } from './directives.js';
import { escalationService } from './escalations.js';
import { notificationService, webhookService } from './notifications.js';
import { liveService } from './live.js';
import { statisticsService } from './statistics.js';
import { userService } from './users.js';

export type { Principal, ServiceDeps } from './context.js';
/** An error that means the read model is out of reach: answered 503, retried by the caller, never a 500. */
export { isDatabaseUnreachable } from '../db/client.js';

export function createServices(deps: ServiceDeps) {
  const directives = directiveService(deps);
  return {
    directives,
    conferences: conferenceService(deps, directives),
    conclusions: conclusionService(deps),
    statistics: statisticsService(deps),
    escalations: escalationService(deps),
    agencies: agencyService(deps),
    users: userService(deps),
    calendar: calendarService(deps),
    notifications: notificationService(deps),
    webhooks: webhookService(deps),
    auth: { principalForToken: (token: string) => principalForToken(deps.db, token) },
    accounts: accountService(deps),
    audit: auditService(deps),
    attachments: attachmentService({ ...deps, directives, maxBytes: deps.config.attachments?.maxBytes, s3: deps.config.attachments?.s3 }),
    live: liveService(deps, deps.listen),
    /** Whether the read model and Temporal answer, each within two seconds. */
    async readiness(): Promise<{ database: 'ok' | 'unavailable'; temporal: 'ok' | 'unavailable' }> {
      const within = async <T>(p: Promise<T>) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)));
        try {
          return await Promise.race([p, timeout]);
        } finally {
          clearTimeout(timer);
        }
      };
      const [database, temporal] = await Promise.allSettled([
        within(deps.db.execute(sql`select 1`)),
        deps.temporal.connection.withDeadline(Date.now() + 2000, () => deps.temporal.workflowService.getSystemInfo({})),
      ]);
      const state = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : 'unavailable');
      return { database: state(database), temporal: state(temporal) };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
