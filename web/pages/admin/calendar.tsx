/** The working calendar: the year as computed and the days admins moved. */
import { CALENDAR_OVERRIDE_KINDS, includes } from '../../../domain/lists.js';
import { FailureType, ServiceFailure } from '../../../domain/failures.js';
import { formatDay } from '../../../domain/vn-time.js';
import { Csrf } from '../../layout.js';
import { pageContext, personOf } from '../../page.js';
import { Flashes, type AdminArea } from './kit.js';

export const registerCalendar: AdminArea = (app, { services }, { page, post, flashOf }) => {
  app.get('/calendar', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const year = Math.min(2100, Math.max(2000, Number(c.req.query('year')) || new Date().getUTCFullYear()));
    const cal = await services.calendar.year(personOf(c), year);
    const changes = await services.calendar.changes(personOf(c), 10, year);
    return c.html(
      page(
        ctx,
        'calendar',
        `${t.admin.calendar} ${year}`,
        <>
          <Flashes flash={flashOf(c)} />
          <form method="get" action="/admin/calendar" class="inline">
            <label>
              {t.admin.year}
              <input type="number" name="year" min={2000} max={2100} value={String(year)} />
            </label>
          </form>
          <h3>{t.admin.holidays}</h3>
          <p>{cal.verified ? t.admin.calendarVerified : t.admin.calendarUnverified}</p>
          <ul>
            {cal.holidays.map((h) => {
              const source = h.decidedBy ?? h.source;
              return (
                <li>
                  {formatDay(h.date)} · {h.name} · <small>{source.document ?? t.admin.sourceKinds[source.kind]}</small>
                </li>
              );
            })}
          </ul>
          <h3>{t.admin.dayOff} / {t.admin.workingDay}</h3>
          <ul>
            {cal.overrides.map((o) => (
              <li>
                {formatDay(o.date)} · {o.kind === 'day_off' ? t.admin.dayOff : t.admin.workingDay}
                {o.note ? ` · ${o.note}` : ''}{' '}
                <form method="post" action={`/admin/calendar/${o.date}/remove`} class="inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="secondary outline">
                    {t.admin.remove}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action="/admin/calendar">
            <Csrf ctx={ctx} />
            <div class="grid">
              <label>
                {t.admin.date}
                <input type="date" name="date" required />
              </label>
              <label>
                {t.admin.role}
                <select name="kind">
                  {CALENDAR_OVERRIDE_KINDS.map((k) => (
                    <option value={k}>{k === 'day_off' ? t.admin.dayOff : t.admin.workingDay}</option>
                  ))}
                </select>
              </label>
            </div>
            <label>
              {t.admin.note}
              <input type="text" name="note" maxlength={500} />
            </label>
            <button type="submit">{t.admin.save}</button>
          </form>
          <h3>{t.admin.calendarChanges}</h3>
          <p>
            <small>{t.admin.calendarChangesHelp}</small>
          </p>
          <ul>
            {changes.map((ch) => (
              <li>
                {ch.dates.length > 3 ? `${formatDay(ch.dates[0]!)} … ${formatDay(ch.dates.at(-1)!)}` : ch.dates.map(formatDay).join(', ')} · {ch.cause} ·{' '}
                <small>
                  {ch.finishedAt
                    ? t.admin.replanned(ch.examined ?? 0, ch.moved ?? 0)
                    : ch.startedAt
                      ? t.admin.replanRunning
                      : t.admin.replanPending}
                </small>
              </li>
            ))}
          </ul>
        </>,
      ),
    );
  });
  post('/calendar', '/admin/calendar', async (c, f) => {
    const kind = includes(CALENDAR_OVERRIDE_KINDS, f.kind) ? f.kind : 'day_off';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date ?? '')) throw new ServiceFailure(FailureType.Invalid, c.get('t').admin.date);
    await services.calendar.setOverride(personOf(c), f.date!, { kind, ...(f.note?.trim() ? { note: f.note.trim() } : {}) });
  });
  post('/calendar/:date{\\d{4}-\\d{2}-\\d{2}}/remove', '/admin/calendar', async (c) => {
    await services.calendar.removeOverride(personOf(c), c.req.param('date')!);
  });
};
