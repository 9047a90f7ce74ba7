/**
 * The admin pages, one module per area (web/pages/admin/): the directory, people, the calendar, the audit log,
 * webhooks. Each registers its routes on this sub-app with the helpers every admin page shares.
 */
import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../context.js';
import { seeOther } from '../page.js';
import { registerAgencies } from './admin/agencies.js';
import { registerAudit } from './admin/audit.js';
import { registerCalendar } from './admin/calendar.js';
import { adminKit } from './admin/kit.js';
import { registerUsers } from './admin/users.js';
import { registerWebhooks } from './admin/webhooks.js';

export function adminPages(deps: WebDeps) {
  const app = new Hono<WebEnv>();
  const kit = adminKit(app);
  app.get('/', (c) => seeOther(c, '/admin/agencies'));
  for (const area of [registerAgencies, registerUsers, registerCalendar, registerAudit, registerWebhooks]) area(app, deps, kit);
  return app;
}
