/**
 * The forms of a directive's page: exactly those the engine accepts from this person now (d.allowedActions):
 * sub-tasks, acknowledging, reporting, an extension and its decision, completion and its review, reassigning,
 * cancelling. Each carries a retry key and shows its own refusal.
 */
import type { FC } from 'hono/jsx';
import { TEXT_LIMITS } from '../../../domain/limits.js';
import { formatDay, formatDue } from '../../../domain/vn-time.js';
import type { AgencyView } from '../../../services/agencies.js';
import type { DirectiveDetail } from '../../../services/directives.js';
import { TimelinessBadge, When, Csrf, type PageContext } from '../../layout.js';
import { Refused, Retry, typedInto, type Refusal } from './forms.js';

export const Actions: FC<{ ctx: PageContext; d: DirectiveDetail; agencies: AgencyView[]; refusal: Refusal | undefined; name: (id: string) => string; assigned: boolean; acknowledged: boolean }> = ({
  ctx,
  d,
  agencies,
  refusal,
  name,
  assigned,
  acknowledged,
}) => {
  const { t } = ctx;
  const base = `/directives/${d.id}`;
  const allowed = d.allowedActions;
  const value = typedInto(refusal);
  const toReport = d.deadlines.filter((x) => x.kind === 'report' && allowed.report.includes(x.key));
  const toDecide = d.extensionRequests.filter((x) => allowed.decideExtension.includes(x.id));
  const subUnits = agencies.filter((a) => a.parentId === d.leadAgency.id && a.active);
  const openSubtasks = d.subtasks?.items.filter((x) => x.status !== 'completed' && x.status !== 'cancelled').length ?? 0;
  return (
    <>
      {d.subtasks ? (
        <section aria-labelledby="subtasks">
          <h2 id="subtasks">{t.actions.subtasks}</h2>
          <p>
            {t.actions.rollup(d.subtasks.done, d.subtasks.total)} · <TimelinessBadge t={t} value={d.subtasks.worstTimeliness} />
          </p>
          <ul>
            {d.subtasks.items.map((x) => (
              <li>
                <a href={`/directives/${x.id}`}>{x.title}</a> · {name(x.leadAgencyId)} · {t.status[x.status]} · <When iso={x.dueAt} t={t} fallback={t.directives.noDeadline} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {allowed.delegate && subUnits.length > 0 ? (
        <details open={refusal?.action === 'subtasks'}>
          <summary>{t.actions.delegate}</summary>
          <Refused t={t} language={ctx.language} refusal={refusal} action="subtasks" />
          <form method="post" action={`${base}/subtasks`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.subtaskTitle}
              <input type="text" name="title" required maxlength={TEXT_LIMITS.title} value={value('subtasks', 'title')} />
            </label>
            <div class="grid">
              <label>
                {t.actions.subUnit}
                <select name="subUnit" required>
                  {subUnits.map((a) => (
                    <option value={a.id} selected={value('subtasks', 'subUnit') === a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t.actions.subtaskDue}
                <input type="date" name="dueDate" required value={value('subtasks', 'dueDate')} />
              </label>
            </div>
            <button type="submit">{t.actions.delegate}</button>
          </form>
        </details>
      ) : null}

      {allowed.acknowledge ? (
        <section aria-labelledby="f-ack">
          <h2 id="f-ack">{t.actions.acknowledge}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="acknowledge" />
          <form method="post" action={`${base}/acknowledge`}>
            <Csrf ctx={ctx} />
            <Retry />
            <button type="submit">{t.actions.acknowledge}</button>
          </form>
        </section>
      ) : null}
      {assigned && acknowledged ? <p>{t.actions.acknowledged}</p> : null}

      {toReport.length > 0 ? (
        <section aria-labelledby="f-report">
          <h2 id="f-report">{t.actions.report}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="report" />
          <form method="post" action={`${base}/report`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.period}
              <select name="deadlineKey" required>
                {toReport.map((p) => (
                  <option value={p.key} selected={value('report', 'deadlineKey') === p.key}>
                    {`${p.label} (${formatDue(p.dueAt)})`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.actions.summary}
              <textarea name="summary" required rows={4} maxlength={TEXT_LIMITS.summary}>
                {value('report', 'summary')}
              </textarea>
            </label>
            <button type="submit">{t.actions.report}</button>
          </form>
        </section>
      ) : null}

      {allowed.requestExtension ? (
        <section aria-labelledby="f-extension">
          <h2 id="f-extension">{t.actions.extension}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="extension" />
          <form method="post" action={`${base}/extension`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.proposedDate}
              <input type="date" name="proposedDueDate" required value={value('extension', 'proposedDueDate')} />
            </label>
            <label>
              {t.actions.reason}
              <textarea name="reason" required rows={2} maxlength={TEXT_LIMITS.reason}>
                {value('extension', 'reason')}
              </textarea>
            </label>
            <button type="submit">{t.actions.extension}</button>
          </form>
        </section>
      ) : null}

      {toDecide.length > 0 ? (
        <section aria-labelledby="f-decision">
          <h2 id="f-decision">{t.actions.decide}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="decision" />
          {toDecide.map((x) => (
            <form method="post" action={`${base}/decision`}>
              <Csrf ctx={ctx} />
              <Retry />
              <input type="hidden" name="requestId" value={x.id} />
              <p>
                {t.actions.requested(x.proposedDueDate ? formatDay(x.proposedDueDate) : formatDue(x.proposedDueAt!))}: {x.reason}
              </p>
              <label>
                {t.actions.note}
                <input type="text" name="note" maxlength={TEXT_LIMITS.note} value={value('decision', 'note')} />
              </label>
              <div role="group">
                <button type="submit" name="approve" value="true">
                  {t.actions.approve}
                </button>
                <button type="submit" name="approve" value="false" class="secondary">
                  {t.actions.reject}
                </button>
              </div>
            </form>
          ))}
        </section>
      ) : null}

      {allowed.submitCompletion ? (
        <section aria-labelledby="f-completion">
          <h2 id="f-completion">{t.actions.completion}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="completion" />
          <form method="post" action={`${base}/completion`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.completionSummary}
              <textarea name="summary" required rows={3} maxlength={TEXT_LIMITS.summary}>
                {value('completion', 'summary')}
              </textarea>
            </label>
            {openSubtasks > 0 ? (
              <>
                <label>
                  <input type="checkbox" name="closeOpenSubtasks" value="on" /> {t.actions.closeSubtasks(openSubtasks)}
                </label>
                <label>
                  {t.actions.closeNote}
                  <input type="text" name="closeNote" maxlength={TEXT_LIMITS.reason} value={value('completion', 'closeNote')} />
                </label>
              </>
            ) : null}
            <button type="submit">{t.actions.completion}</button>
          </form>
        </section>
      ) : null}

      {allowed.reviewCompletion ? (
        <section aria-labelledby="f-review">
          <h2 id="f-review">{t.actions.review}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="review" />
          <form method="post" action={`${base}/review`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.returnNote}
              <input type="text" name="note" maxlength={TEXT_LIMITS.note} value={value('review', 'note')} />
            </label>
            <div role="group">
              <button type="submit" name="accept" value="true">
                {t.actions.accept}
              </button>
              <button type="submit" name="accept" value="false" class="secondary">
                {t.actions.returnIt}
              </button>
            </div>
          </form>
        </section>
      ) : null}

      {allowed.reassign ? (
        <details open={refusal?.action === 'reassign'}>
          <summary>{t.actions.reassign}</summary>
          <Refused t={t} language={ctx.language} refusal={refusal} action="reassign" />
          <form method="post" action={`${base}/reassign`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.directives.lead}
              <select name="leadAgency" required>
                {agencies.map((a) => (
                  <option value={a.id} selected={a.id === d.leadAgency.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.directives.coordinating}
              <select name="coordinatingAgencies" multiple size={5}>
                {agencies.map((a) => (
                  <option value={a.id} selected={d.coordinatingAgencies.some((x) => x.id === a.id)}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.actions.reason}
              <input type="text" name="reason" required maxlength={TEXT_LIMITS.reason} value={value('reassign', 'reason')} />
            </label>
            <button type="submit">{t.actions.reassign}</button>
          </form>
        </details>
      ) : null}
      {allowed.cancel ? (
        <details open={refusal?.action === 'cancel'}>
          <summary>{t.actions.cancel}</summary>
          <Refused t={t} language={ctx.language} refusal={refusal} action="cancel" />
          <form method="post" action={`${base}/cancel`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.cancelReason}
              <input type="text" name="reason" required maxlength={TEXT_LIMITS.reason} value={value('cancel', 'reason')} />
            </label>
            <button type="submit" class="contrast">
              {t.actions.cancel}
            </button>
          </form>
        </details>
      ) : null}
    </>
  );
};
