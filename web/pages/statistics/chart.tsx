/** The year's four quarters as an SVG chart, and the categories' colours and labels. */
import type { FC } from 'hono/jsx';
import { COUNTED_CATEGORIES, type StatCategory } from '../../../domain/lists.js';
import { type Counts, type Period } from '../../../domain/statistics.js';
import type { Dictionary } from '../../i18n.js';

export const categoryLabel = (t: Dictionary, c: StatCategory) => (c === 'cancelled' ? t.statistics.cancelled : t.timeliness[c]);

/** The colours of the chart's categories, the same as the badges'. */
export const COLOURS: Record<(typeof COUNTED_CATEGORIES)[number], string> = {
  completed_on_time: '#15803d',
  completed_late: '#b45309',
  open_on_time: '#1d4ed8',
  open_overdue: '#b91c1c',
  no_deadline: '#6b7280',
};

/** A stacked bar per quarter, drawn on the server: no chart script to load, readable without JavaScript. */
export const QuarterChart: FC<{ t: Dictionary; year: number; series: Array<{ period: Period; counts: Counts }> }> = ({ t, year, series }) => {
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
