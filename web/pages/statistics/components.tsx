/** The statistics pages' parts: the counts table with its drill-down links, the filters, the exports. */
import type { FC } from 'hono/jsx';
import { ASSIGNMENT_ROLES, CONFERENCE_KINDS, REPORT_FORMATS, STAT_CATEGORIES, STAT_GROUPINGS, type AssignmentRole } from '../../../domain/lists.js';
import { type Counts, type ScorecardRow, type StatRow } from '../../../domain/statistics.js';
import { formatDay } from '../../../domain/vn-time.js';
import type { StatCell } from '../../../services/statistics.js';
import type { Dictionary } from '../../i18n.js';
import { type PageContext } from '../../layout.js';
import { type Ask, href, baseAsk, periodChoices } from './ask.js';
import { categoryLabel } from './chart.js';

export const Figure: FC<{ ask: Ask; cell: StatCell; n: number; label: string }> = ({ ask, cell, n, label }) =>
  n === 0 ? (
    <span>0</span>
  ) : (
    <a href={href('/statistics/directives', baseAsk(ask), { groupBy: cell.grouping, key: cell.key === '' ? 'none' : cell.key, role: cell.role, category: cell.category })} aria-label={label}>
      {n}
    </a>
  );

export const CountCells: FC<{ t: Dictionary; ask: Ask; cell: Omit<StatCell, 'category'>; counts: Counts; name: string }> = ({ t, ask, cell, counts, name }) => (
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

export const BandMark: FC<{ t: Dictionary; row: ScorecardRow | undefined }> = ({ t, row }) =>
  row?.band ? <mark class={`band ${row.band}`}>{t.statistics.bands[row.band]}</mark> : <span>—</span>;

export const CountsTable: FC<{ t: Dictionary; ask: Ask; rows: StatRow[]; scores: Map<string, ScorecardRow> | null }> = ({ t, ask, rows, scores }) => {
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

export const Filters: FC<{ ctx: PageContext; ask: Ask; issuers: Array<{ id: string; name: string }> }> = ({ ctx, ask, issuers }) => {
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

export const Exports: FC<{ t: Dictionary; base: string }> = ({ t, base }) => (
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
