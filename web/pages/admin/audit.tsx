/** The audit log: who did what, when, from where, and its export. */
import { generatedFileHeaders } from '../../../http/shared/downloads.js';
import { formatDue } from '../../../domain/vn-time.js';
import { pageContext, personOf } from '../../page.js';
import type { AdminArea } from './kit.js';

export const registerAudit: AdminArea = (app, { services }, { page }) => {
  app.get('/audit', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const cursor = c.req.query('cursor');
    const actor = c.req.query('actor');
    const byActor: { actor?: string } = actor && /^[0-9a-f-]{36}$/.test(actor) ? { actor } : {};
    const { items, nextCursor } = await services.audit.list(personOf(c), { limit: 100, ...byActor, ...(cursor && /^[0-9a-z]{1,20}$/.test(cursor) ? { cursor } : {}) });
    return c.html(
      page(
        ctx,
        'audit',
        t.admin.audit,
        <>
          <p>
            <small>{t.admin.auditHelp}</small> <a href="/admin/audit/export">{t.admin.auditExport}</a>
          </p>
          <div class="overflow-auto">
            <table>
              <thead>
                <tr>
                  {t.admin.auditColumns.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr>
                    <td>{formatDue(e.at)}</td>
                    <td>{e.actorName ?? '—'}</td>
                    <td>{e.role ?? '—'}</td>
                    <td>
                      <code>{e.action}</code>
                      <br />
                      <small>{e.path}</small>
                    </td>
                    <td>{e.status}</td>
                    <td>{e.address}</td>
                    <td>{e.door}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {nextCursor ? <a href={`/admin/audit?${new URLSearchParams(byActor.actor ? { actor: byActor.actor, cursor: nextCursor } : { cursor: nextCursor }).toString()}`}>{t.admin.auditOlder}</a> : null}
        </>,
      ),
    );
  });
  app.get('/audit/export', async (c) =>
    c.body(await services.audit.exportCsv(personOf(c), {}), 200, generatedFileHeaders('audit-log.csv', 'text/csv; charset=utf-8')),
  );
};
