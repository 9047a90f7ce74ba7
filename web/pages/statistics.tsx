import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { RefusalStatus } from '../../domain/failures.js';
import { ASSIGNMENT_ROLES, CONFERENCE_KINDS, COUNTED_CATEGORIES, REPORT_FORMATS, STAT_CATEGORIES, STAT_GROUPINGS, includes, type AssignmentRole, type StatCategory, type StatGrouping } from '../../domain/lists.js';
import { may } from '../../domain/policy.js';
import { parsePeriod, quarterOf, type Counts, type Period, type ScorecardRow, type StatRow } from '../../domain/statistics.js';
import { formatDay, formatDue, vnDateOf } from '../../domain/vn-time.js';
import type { StatCell, StatQuery } from '../../services/statistics.js';
import type { WebDeps, WebEnv } from '../context.js';
import type { Dictionary } from '../i18n.js';
import { Csrf, Layout, Notice, type PageContext } from '../layout.js';
import { attempt, formFields, pageContext, personOf, seeOther, setFlash, takeFlash } from '../page.js';
import { reasonIn } from '../reasons.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const today = () => vnDateOf(new Date());

/** What a dashboard address asks for; anything unreadable falls back to the default, except the period, which the service judges. */
type Ask = Omit<StatQuery, 'foldMerged'> & { groupBy: StatGrouping };

function askOf(c: Context<WebEnv>): Ask {
  const q = (k: string) => c.req.query(k)?.trim() || undefined;
  const from = q('from');
  const to = q('to');
  const period = from && to && DAY.test(from) && DAY.test(to) ? `${from}..${to}` : (q('period') ?? quarterOf(today()).label);
  const groupBy = q('groupBy');
  const kind = q('conferenceKind');
  const issuedBy = q('issuedBy');
  const conferenceId = q('conferenceId');
  const asOf = q('asOf');
  return {
    period: period.slice(0, 40),
    groupBy: includes(STAT_GROUPINGS, groupBy) ? groupBy : 'lead',
    conferenceKind: includes(CONFERENCE_KINDS, kind) ? kind : undefined,
    issuedBy: issuedBy && UUID.test(issuedBy) ? issuedBy : undefined,
    conferenceId: conferenceId && UUID.test(conferenceId) ? conferenceId : undefined,
    asOf: asOf && !Number.isNaN(Date.parse(asOf)) ? asOf : undefined,
  };
}

/** The same question as a query string, with some parts changed. */
function href(path: string, ask: Partial<Ask> & Record<string, string | undefined>, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...ask, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
  return `${path}?${params.toString()}`;
}

const baseAsk = (a: Ask): Record<string, string | undefined> => ({ period: a.period, conferenceKind: a.conferenceKind, issuedBy: a.issuedBy, conferenceId: a.conferenceId, asOf: a.asOf });

/** The periods offered: every quarter, 6 and 9 months and year of this year and the last that has begun. */
function periodChoices(current: string): Period[] {
  const year = Number(today().slice(0, 4));
  const now = today();
  const labels = [year, year - 1].flatMap((y) => [`${y}-Q4`, `${y}-9M`, `${y}-Q3`, `${y}-6M`, `${y}-Q2`, `${y}-Q1`, `${y}`]);
  const list = labels.map((l) => parsePeriod(l)!).filter((p) => p.from <= now);
  const chosen = parsePeriod(current);
  return chosen && !list.some((p) => p.label === chosen.label) ? [chosen, ...list] : list;
}

const asOfLine = (t: Dictionary, period: Period, asOf: string) => {
  const ends = new Date(asOf).getTime() === new Date(`${period.to}T00:00:00+07:00`).getTime() + 86_400_000;
  return `${t.statistics.span(formatDay(period.from), formatDay(period.to))}; ${ends ? t.statistics.asOfEnd(formatDay(period.to)) : t.statistics.asOfNow(formatDue(asOf))}.`;
};

const categoryLabel = (t: Dictionary, c: StatCategory) => (c === 'cancelled' ? t.statistics.cancelled : t.timeliness[c]);

/** The colours of the chart's categories, the same as the badges'. */
const COLOURS: Record<(typeof COUNTED_CATEGORIES)[number], string> = {
  completed_on_time: '#15803d',
  completed_late: '#b45309',
  open_on_time: '#1d4ed8',
  open_overdue: '#b91c1c',
  no_deadline: '#6b7280',
};

/** A stacked bar per quarter, drawn on the server: no chart script to load, readable without JavaScript. */
const QuarterChart: FC<{ t: Dictionary; year: number; series: Array<{ period: Period; counts: Counts }> }> = ({ t, year, series }) => {
  const width = 640;
  const height = 260;
  const top = 20;
  const bottom = 40;
  const left = 48;
  const max = Math.max(1, ...series.map((s) => s.counts.total));
  const band = (width - left) / 4;
  const scale = (n: number) => (n / max) * (height - top - bottom);
  const title = t.statistics.chart(year);
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title" class="chart">
        <title id="chart-title">{title}</title>
        <line x1={left} y1={height - bottom} x2={width} y2={height - bottom} stroke="currentColor" />
        <text x={left - 6} y={top + 4} text-anchor="end" font-size="12" fill="currentColor">
          {max}
        </text>
        <text x={left - 6} y={height - bottom} text-anchor="end" font-size="12" fill="currentColor">
          0
        </text>
        {series.map((s, i) => {
          let y = height - bottom;
          const x = left + i * band + band * 0.2;
          return (
            <g>
              {COUNTED_CATEGORIES.map((c) => {
                const h = scale(s.counts[c]);
                y -= h;
                return h > 0 ? (
                  <rect x={x} y={y} width={band * 0.6} height={h} fill={COLOURS[c]}>
                    <title>{`${s.period.title.vi}: ${t.timeliness[c]} ${s.counts[c]}`}</title>
                  </rect>
                ) : null;
              })}
              <text x={x + band * 0.3} y={height - bottom + 18} text-anchor="middle" font-size="13" fill="currentColor">
                {s.period.label.slice(5)}
              </text>
              <text x={x + band * 0.3} y={height - bottom - scale(s.counts.total) - 4} text-anchor="middle" font-size="12" fill="currentColor">
                {s.counts.total}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {COUNTED_CATEGORIES.map((c) => (
            <li>
              <span class={`swatch ${c}`}></span>
              {t.timeliness[c]}
            </li>
          ))}
        </ul>
        <details>
          <summary>{t.statistics.chartSummary}</summary>
          <div class="overflow-auto">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.statistics.quarter}</th>
                  <th scope="col">{t.statistics.total}</th>
                  {COUNTED_CATEGORIES.map((c) => (
                    <th scope="col">{t.timeliness[c]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {series.map((s) => (
                  <tr>
                    <th scope="row">{s.period.label}</th>
                    <td>{s.counts.total}</td>
                    {COUNTED_CATEGORIES.map((c) => (
                      <td>{s.counts[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
};

/** A number that opens the list of exactly the directives behind it. */
const Figure: FC<{ ask: Ask; cell: StatCell; n: number; label: string }> = ({ ask, cell, n, label }) =>
  n === 0 ? (
    <span>0</span>
  ) : (
    <a href={href('/statistics/directives', baseAsk(ask), { groupBy: cell.grouping, key: cell.key === '' ? 'none' : cell.key, role: cell.role, category: cell.category })} aria-label={label}>
      {n}
    </a>
  );

const CountCells: FC<{ t: Dictionary; ask: Ask; cell: Omit<StatCell, 'category'>; counts: Counts; name: string }> = ({ t, ask, cell, counts, name }) => (
  <>
    <td>
      <Figure ask={ask} cell={cell} n={counts.total} label={`${name}: ${t.statistics.total} ${counts.total}`} />
    </td>
    {STAT_CATEGORIES.map((c) => (
      <td class={c === 'open_overdue' && counts[c] > 0 ? 'overdue' : undefined}>
        <Figure ask={ask} cell={{ ...cell, category: c }} n={counts[c]} label={`${name}: ${categoryLabel(t, c)} ${counts[c]}`} />
      </td>
    ))}
  </>
);

const BandMark: FC<{ t: Dictionary; row: ScorecardRow | undefined }> = ({ t, row }) =>
  row?.band ? <mark class={`band ${row.band}`}>{t.statistics.bands[row.band]}</mark> : <span>—</span>;

const CountsTable: FC<{ t: Dictionary; ask: Ask; rows: StatRow[]; scores: Map<string, ScorecardRow> | null }> = ({ t, ask, rows, scores }) => {
  const grouping = ask.groupBy;
  const roles: Array<AssignmentRole | undefined> = grouping === 'assigned' ? [...ASSIGNMENT_ROLES] : [undefined];
  return (
    <div class="overflow-auto">
      <table class="striped stats">
        <thead>
          <tr>
            {scores ? <th scope="col">{t.statistics.rank}</th> : null}
            <th scope="col">{grouping === 'province' ? t.statistics.province : t.statistics.groupings[grouping]}</th>
            {grouping === 'assigned' ? <th scope="col">{t.statistics.lead}/{t.statistics.coordinating}</th> : null}
            {scores ? <th scope="col">{t.statistics.score}</th> : null}
            {scores ? <th scope="col">{t.statistics.band}</th> : null}
            <th scope="col">{t.statistics.total}</th>
            {STAT_CATEGORIES.map((c) => (
              <th scope="col">{categoryLabel(t, c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((r) =>
            roles.map((role, i) => {
              const name = r.key?.name ?? t.statistics.province;
              const score = r.key ? scores?.get(r.key.id) : undefined;
              const counts = role ? r[role]! : r.counts;
              return (
                <tr>
                  {scores ? <td>{i === 0 ? (score?.rank ?? '—') : ''}</td> : null}
                  {i === 0 ? (
                    <th scope="row" rowspan={roles.length}>
                      {name}
                    </th>
                  ) : null}
                  {role ? <td>{role === 'lead' ? t.statistics.lead : t.statistics.coordinating}</td> : null}
                  {scores ? <td>{i === 0 ? (score?.score ?? '—') : ''}</td> : null}
                  {scores ? <td>{i === 0 ? <BandMark t={t} row={score} /> : ''}</td> : null}
                  <CountCells t={t} ask={ask} cell={{ grouping, key: r.key?.id, role }} counts={counts} name={role ? `${name} (${role === 'lead' ? t.statistics.lead : t.statistics.coordinating})` : name} />
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
};

const Filters: FC<{ ctx: PageContext; ask: Ask; issuers: Array<{ id: string; name: string }> }> = ({ ctx, ask, issuers }) => {
  const { t } = ctx;
  const custom = ask.period.includes('..') ? ask.period.split('..') : ['', ''];
  return (
    <form method="get" action="/statistics" class="filters">
      <div class="grid">
        <div>
          <label for="stat-period">{t.statistics.period}</label>
          <select name="period" id="stat-period">
            {periodChoices(ask.period).map((p) => (
              <option value={p.label} selected={p.label === ask.period}>
                {p.title[ctx.language]} ({formatDay(p.from)}–{formatDay(p.to)})
              </option>
            ))}
          </select>
        </div>
        <label>
          {t.statistics.groupBy}
          <select name="groupBy">
            {STAT_GROUPINGS.map((g) => (
              <option value={g} selected={g === ask.groupBy}>
                {t.statistics.groupings[g]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <details open={ask.period.includes('..') || undefined}>
        <summary>{t.statistics.customRange}</summary>
        <div class="grid">
          <label>
            {t.statistics.from}
            <input type="date" name="from" value={custom[0]} />
          </label>
          <label>
            {t.statistics.to}
            <input type="date" name="to" value={custom[1]} />
          </label>
        </div>
      </details>
      <div class="grid">
        <label>
          {t.statistics.conferenceKind}
          <select name="conferenceKind">
            <option value="">{t.statistics.any}</option>
            {CONFERENCE_KINDS.map((k) => (
              <option value={k} selected={k === ask.conferenceKind}>
                {t.conferenceKinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.statistics.issuedBy}
          <select name="issuedBy">
            <option value="">{t.statistics.any}</option>
            {issuers.map((u) => (
              <option value={u.id} selected={u.id === ask.issuedBy}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit">{t.statistics.show}</button>
    </form>
  );
};

const Exports: FC<{ t: Dictionary; base: string }> = ({ t, base }) => (
  <section aria-labelledby="exports">
    <h2 id="exports">{t.statistics.export}</h2>
    <ul class="exports">
      {REPORT_FORMATS.filter((f) => f !== 'json').map((f) => (
        <li>
          <a href={`${base}${base.includes('?') ? '&' : '?'}format=${f}`} download hx-boost="false" role="button" class="secondary outline">
            {t.statistics.formats[f]}
          </a>
        </li>
      ))}
    </ul>
  </section>
);

/**
 * The dashboard, the drill-down behind every number, the exports, publishing a period's result (leaders) and
 * the published results; the admin's scoring rule page is web/pages/scoring.tsx.
 */
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
    return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename}"`,
    });
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
    return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename}"`,
    });
  });

  return app;
}
