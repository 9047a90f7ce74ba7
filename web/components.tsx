import type { FC } from 'hono/jsx';
import { TIMELINESS, type Timeliness } from '../domain/lists.js';
import type { DirectiveView } from '../services/directives.js';
import type { Dictionary } from './i18n.js';
import { TimelinessBadge, When } from './layout.js';

/** Directives as a table that reads on a phone too: the title first, then who leads, the deadline and its state. */
export const DirectiveTable: FC<{ t: Dictionary; items: DirectiveView[]; id?: string }> = ({ t, items, id }) =>
  items.length === 0 ? (
    <p id={id}>{t.directives.none}</p>
  ) : (
    <div class="overflow-auto" id={id}>
      <table class="striped">
        <thead>
          <tr>
            <th scope="col">{t.directives.title}</th>
            <th scope="col">{t.directives.lead}</th>
            <th scope="col">{t.directives.nextDeadline}</th>
            <th scope="col">{t.directives.timeliness}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr>
              <td>
                <a href={`/directives/${d.id}`}>{d.title}</a>
                {d.confidential ? <mark> {t.directives.confidential}</mark> : null}
                {d.returned ? <mark class="returned"> {t.directives.returned(d.returnCount)}</mark> : null}
              </td>
              <td>{d.leadAgency.name}</td>
              <td class={d.timeliness === 'open_overdue' ? 'overdue' : undefined}>
                <When iso={d.nextDeadlineAt ?? d.dueAt} t={t} fallback={t.directives.noDeadline} />
              </td>
              <td>
                <TimelinessBadge t={t} value={d.timeliness} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

/** The four categories Vietnam's task-tracking systems count (and standing directives), as a row of figures. */
export const Counts: FC<{ t: Dictionary; counts: Record<Timeliness, number> }> = ({ t, counts }) => (
  <div class="counts">
    {TIMELINESS.map((k) => (
      <article>
        <strong>{counts[k]}</strong>
        <TimelinessBadge t={t} value={k} />
      </article>
    ))}
  </div>
);
