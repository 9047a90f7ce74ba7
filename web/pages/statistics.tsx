/** The statistics pages: the dashboard and its drill-down, scorecards, published results, exports. */
import { Hono, type Context } from 'hono';
import { generatedFileHeaders } from '../../http/shared/downloads.js';
import type { RefusalStatus } from '../../domain/failures.js';
import { ASSIGNMENT_ROLES, REPORT_FORMATS, STAT_CATEGORIES, includes } from '../../domain/lists.js';
import { may } from '../../domain/policy.js';
import { parsePeriod } from '../../domain/statistics.js';
import { formatDue } from '../../domain/vn-time.js';
import type { StatCell } from '../../services/statistics.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Layout, Notice } from '../layout.js';
import { attempt, formFields, pageContext, personOf, seeOther, setFlash, takeFlash } from '../page.js';
import { reasonIn } from '../reasons.js';
import { UUID, type Ask, askOf, href, baseAsk, asOfLine } from './statistics/ask.js';
import { categoryLabel, QuarterChart } from './statistics/chart.js';
import { BandMark, CountsTable, Filters, Exports } from './statistics/components.js';

export function statisticsPages({ services }: WebDeps) {
  const app = new Hono<WebEnv>();

  async function dashboard(c: Context<WebEnv>, ask: Ask, refusal?: { status: RefusalStatus; message: string }) {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const issuers = await services.statistics.issuers();
    const flash = takeFlash(c);
    const result = await attempt(async () => {
      const stats = await services.statistics.statistics(person, ask, ask.groupBy);
      const scores = ask.groupBy === 'lead' || ask.groupBy === 'assigned' ? await services.statistics.scorecard(person, ask) : null;
      const year = Number(stats.period.to.slice(0, 4));
      const series = await services.statistics.series(person, year, ask);
      return { stats, scores, year, series };
    });
    const title = result.ok ? t.statistics.title(result.value.stats.period.title[ctx.language]) : t.nav.statistics;
    const error = refusal?.message ?? (result.ok ? flash.error : result.failure.message);
    const body = (
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {error ? <Notice kind="error">{reasonIn(ctx.language, error)}</Notice> : null}
        {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
        {result.ok ? <p class="who">{asOfLine(t, result.value.stats.period, result.value.stats.asOf)}</p> : null}
        <Filters ctx={ctx} ask={ask} issuers={issuers} />
        <p>
          <a href="/statistics/published">{t.statistics.published}</a>
          {may(person.role, 'editScoringRule') ? (
            <>
              {' · '}
              <a href="/admin/scoring">{t.statistics.rule}</a>
            </>
          ) : null}
        </p>
        {result.ok ? (
          <>
            <section aria-labelledby="province">
              <h2 id="province">{t.statistics.province}</h2>
              <CountsTable t={t} ask={{ ...ask, groupBy: 'province' }} rows={[{ key: null, counts: result.value.stats.totals }]} scores={null} />
            </section>
            {result.value.series.length > 0 ? (
              <section aria-labelledby="chart-heading">
                <h2 id="chart-heading">{t.statistics.chart(result.value.year)}</h2>
                <QuarterChart t={t} year={result.value.year} series={result.value.series} />
              </section>
            ) : null}
            {ask.groupBy === 'province' ? null : (
              <section aria-labelledby="agencies">
                <h2 id="agencies">{t.statistics.groupings[ask.groupBy]}</h2>
                {result.value.stats.rows.length === 0 ? (
                  <p>{t.statistics.none}</p>
                ) : (
                  <CountsTable
                    t={t}
                    ask={ask}
                    rows={result.value.stats.rows}
                    scores={result.value.scores ? new Map(result.value.scores.rows.map((r) => [r.agency.id, r])) : null}
                  />
                )}
              </section>
            )}
            {result.value.stats.explanations.rows.length > 0 ? (
              <section aria-labelledby="explanations">
                <h2 id="explanations">{t.statistics.explanations.title}</h2>
                <table class="striped stats">
                  <thead>
                    <tr>
                      <th scope="col">{t.statistics.explanations.agency}</th>
                      <th scope="col">{t.statistics.explanations.requested}</th>
                      <th scope="col">{t.statistics.explanations.onTime}</th>
                      <th scope="col">{t.statistics.explanations.late}</th>
                      <th scope="col">{t.statistics.explanations.unanswered}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...result.value.stats.explanations.rows, { key: { id: '', name: t.statistics.province }, counts: result.value.stats.explanations.totals }].map((r) => (
                      <tr>
                        <th scope="row">{r.key.name}</th>
                        <td>{r.counts.requested}</td>
                        <td>{r.counts.answeredOnTime}</td>
                        <td>{r.counts.answeredLate}</td>
                        <td>{r.counts.unanswered}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ) : null}
            <Exports t={t} base={href('/statistics/export', baseAsk(ask))} />
            {may(person.role, 'publishResults') ? (
              <section aria-labelledby="publish">
                <h2 id="publish">{t.statistics.publish}</h2>
                <form method="post" action="/statistics/publish">
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="period" value={result.value.stats.period.label} />
                  <p class="who">{t.statistics.publishHint}</p>
                  <label>
                    {t.statistics.publishNote}
                    <input type="text" name="note" maxlength={2000} />
                  </label>
                  <button type="submit">{t.statistics.publish}</button>
                </form>
              </section>
            ) : null}
          </>
        ) : null}
      </Layout>
    );
    return c.html(body, refusal?.status ?? (result.ok ? 200 : result.status));
  }

  app.get('/', (c) => dashboard(c, askOf(c)));

  app.post('/publish', async (c) => {
    const person = personOf(c);
    const f = await formFields(c);
    const period = (f.period ?? '').slice(0, 40);
    const done = await attempt(() => services.statistics.publish(person, period, f.note?.trim() || undefined));
    // A refusal shows the dashboard of the period the leader was looking at, with the reason.
    if (!done.ok) return dashboard(c, { period, groupBy: 'lead' }, { status: done.status, message: done.failure.message });
    const ctx = pageContext(c);
    setFlash(c, { ok: ctx.t.statistics.publishedOk(done.value.report.period.title[ctx.language]) });
    return seeOther(c, `/statistics/published/${encodeURIComponent(done.value.period)}`);
  });

  app.get('/export', async (c) => {
    const person = personOf(c);
    const ask = askOf(c);
    const format = c.req.query('format');
    const chosen = includes(REPORT_FORMATS, format) ? format : 'xlsx';
    const file = await services.statistics.exportReport(person, ask, chosen);
    return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, generatedFileHeaders(file.filename, file.contentType));
  });

  app.get('/directives', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const ask = askOf(c);
    const key = c.req.query('key');
    const roleParam = c.req.query('role');
    const category = c.req.query('category');
    const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0));
    const cell: StatCell = {
      grouping: ask.groupBy === 'lead' && !key ? 'province' : ask.groupBy,
      key: key === 'none' ? '' : key && UUID.test(key) ? key : undefined,
      role: includes(ASSIGNMENT_ROLES, roleParam) ? roleParam : undefined,
      category: includes(STAT_CATEGORIES, category) ? category : undefined,
    };
    const result = await attempt(() => services.statistics.cell(person, ask, cell, { limit: 100, offset }));
    if (!result.ok) {
      return c.html(
        <Layout ctx={ctx} title={t.nav.statistics}>
          <h1>{t.nav.statistics}</h1>
          <Notice kind="error">{reasonIn(ctx.language, result.failure.message)}</Notice>
          <p>
            <a href="/statistics">{t.statistics.back}</a>
          </p>
        </Layout>,
        result.status,
      );
    }
    const r = result.value;
    const role = cell.role ? (cell.role === 'lead' ? t.statistics.lead : t.statistics.coordinating) : undefined;
    const what = [cell.category ? categoryLabel(t, cell.category) : t.statistics.total, r.key?.name, role].filter(Boolean).join(' · ');
    const heading = t.statistics.drill(what, r.period.title[ctx.language]);
    const next = offset + r.items.length < r.total ? href('/statistics/directives', baseAsk(ask), { groupBy: cell.grouping, key: c.req.query('key'), role: cell.role, category: cell.category, offset: String(offset + 100) }) : null;
    return c.html(
      <Layout ctx={ctx} title={heading}>
        <h1>{heading}</h1>
        <p class="who">{asOfLine(t, r.period, r.asOf)}</p>
        <p>
          <strong id="behind">{t.statistics.behind(r.total)}</strong>
        </p>
        {r.items.length === 0 ? (
          <p>{t.statistics.none}</p>
        ) : (
          <div class="overflow-auto">
            <table class="striped" id="counted">
              <thead>
                <tr>
                  <th scope="col">{t.directives.title}</th>
                  <th scope="col">{t.directives.lead}</th>
                  <th scope="col">{t.statistics.dueInForce}</th>
                  <th scope="col">{t.statistics.category}</th>
                  <th scope="col">{t.statistics.daysLate}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((d) => (
                  <tr>
                    <td>
                      <a href={`/directives/${d.id}`}>{d.title}</a>
                    </td>
                    <td>{d.leadAgency.name}</td>
                    <td>{d.dueAt ? formatDue(d.dueAt) : t.directives.noDeadline}</td>
                    <td>{d.category === 'cancelled' ? <mark class="badge no_deadline">{t.statistics.cancelled}</mark> : <mark class={`badge ${d.category}`}>{t.timeliness[d.category]}</mark>}</td>
                    <td class={d.category === 'open_overdue' ? 'overdue' : undefined}>{d.daysLate ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {next ? (
          <p>
            <a href={next}>{t.statistics.more}</a>
          </p>
        ) : null}
        <p>
          <a href={href('/statistics', { ...baseAsk(ask), groupBy: ask.groupBy })}>{t.statistics.back}</a>
        </p>
      </Layout>,
    );
  });

  app.get('/published', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const items = await services.statistics.published();
    return c.html(
      <Layout ctx={ctx} title={t.statistics.published}>
        <h1>{t.statistics.published}</h1>
        {items.length === 0 ? (
          <p>{t.statistics.noPublished}</p>
        ) : (
          <ul>
            {items.map((p) => (
              <li>
                <a href={`/statistics/published/${encodeURIComponent(p.period)}`}>{parsePeriod(p.period)?.title[ctx.language] ?? p.period}</a> ·{' '}
                {t.statistics.publishedOn(p.publishedBy.name, formatDue(p.publishedAt))}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/statistics">{t.statistics.back}</a>
        </p>
      </Layout>,
    );
  });

  app.get('/published/:period', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const p = await services.statistics.publishedOne(personOf(c), c.req.param('period'));
    const flash = takeFlash(c);
    const r = p.report;
    const title = t.statistics.title(r.period.title[ctx.language]);
    const ask: Ask = { period: r.period.label, groupBy: 'lead' };
    return c.html(
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
        <p class="who">
          {asOfLine(t, r.period, r.asOf)} {t.statistics.publishedOn(p.publishedBy.name, formatDue(p.publishedAt))}.
        </p>
        {p.note ? <p>{p.note}</p> : null}
        <section aria-labelledby="ranking">
          <h2 id="ranking">{t.statistics.rank}</h2>
          <div class="overflow-auto">
            <table class="striped stats">
              <thead>
                <tr>
                  <th scope="col">{t.statistics.rank}</th>
                  <th scope="col">{t.statistics.groupings.assigned}</th>
                  <th scope="col">{t.statistics.score}</th>
                  <th scope="col">{t.statistics.band}</th>
                  <th scope="col">
                    {t.statistics.lead}: {t.statistics.total}
                  </th>
                  <th scope="col">
                    {t.statistics.coordinating}: {t.statistics.total}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.scorecard.map((s) => (
                  <tr>
                    <td>{s.rank ?? '—'}</td>
                    <th scope="row">{s.agency.name}</th>
                    <td>{s.score ?? '—'}</td>
                    <td>
                      <BandMark t={t} row={s} />
                    </td>
                    <td>{s.lead.total}</td>
                    <td>{s.coordinating.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="frozen-province">
          <h2 id="frozen-province">{t.statistics.province}</h2>
          <div class="overflow-auto">
            <table class="striped stats">
              <thead>
                <tr>
                  <th scope="col">{t.statistics.groupings.lead}</th>
                  <th scope="col">{t.statistics.total}</th>
                  {STAT_CATEGORIES.map((c) => (
                    <th scope="col">{categoryLabel(t, c)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...r.byLead, { key: { id: '', name: t.statistics.province }, counts: r.totals }].map((l) => (
                  <tr>
                    <th scope="row">{l.key?.name}</th>
                    <td>{l.counts.total}</td>
                    {STAT_CATEGORIES.map((c) => (
                      <td>{l.counts[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <Exports t={t} base={`/statistics/published/${encodeURIComponent(p.period)}/export`} />
        <p>
          <a href={href('/statistics', ask)}>{t.statistics.back}</a>
        </p>
      </Layout>,
    );
  });

  app.get('/published/:period/export', async (c) => {
    const format = c.req.query('format');
    const file = await services.statistics.exportPublished(personOf(c), c.req.param('period'), includes(REPORT_FORMATS, format) ? format : 'xlsx');
    return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, generatedFileHeaders(file.filename, file.contentType));
  });

  return app;
}
