import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { DIRECTIVE_STATUSES, includes, TIMELINESS, type Language } from '../../domain/lists.js';
import { may } from '../../domain/policy.js';
import { formatDay, formatDue, vnDateOf } from '../../domain/vn-time.js';
import type { ServiceFailure, RefusalStatus } from '../../domain/failures.js';
import type { AttachmentView } from '../../services/attachments.js';
import { requireFormToken } from '../security.js';
import type { AgencyView } from '../../services/agencies.js';
import type { DirectiveDetail, StoredEventView } from '../../services/directives.js';
import type { Principal } from '../../services/index.js';
import { DirectiveTable } from '../components.js';
import type { WebDeps, WebEnv } from '../context.js';
import type { Dictionary } from '../i18n.js';
import { Csrf, Layout, Notice, TimelinessBadge, When, type PageContext } from '../layout.js';
import { attempt, formFields, formList, pageContext, personOf, seeOther } from '../page.js';
import { reasonIn } from '../reasons.js';

type Action = 'acknowledge' | 'report' | 'extension' | 'decision' | 'completion' | 'review' | 'reassign' | 'cancel' | 'subtasks' | 'attachments' | 'explain' | 'explain-answer' | 'explain-close';
/** A refused form: which one, why, and what was typed into it. */
type Refusal = { action: Action; failure: ServiceFailure; fields: Record<string, string> };

const RETRY_FIELD = '_retry';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Retry: FC = () => <input type="hidden" name={RETRY_FIELD} value={randomUUID()} />;

const Refused: FC<{ t: Dictionary; refusal: Refusal | undefined; action: Action; language: Language }> = ({ t, refusal, action, language }) =>
  refusal?.action === action ? (
    <Notice kind="error">
      {t.actions.refused}: {reasonIn(language, refusal.failure.message)}
    </Notice>
  ) : null;

/** The day a due instant (24:00 of its day) belongs to, as dd/mm. */
const dueDay = (iso: string): string => formatDay(vnDateOf(new Date(Date.parse(iso) - 1))).slice(0, 5);

function describe(t: Dictionary, e: StoredEventView, agencyName: (id: string) => string): string {
  switch (e.type) {
    case 'acknowledged':
      return agencyName(e.data.agencyId);
    case 'report_submitted':
      return `${e.data.report.deadlineKey} · ${agencyName(e.data.report.agencyId)}: ${e.data.report.summary}`;
    case 'reminder_due':
      return `${e.data.label} · ${agencyName(e.data.agencyId)} · ${formatDue(e.data.dueAt)}`;
    case 'deadline_missed':
      return `${e.data.label} · ${e.data.missing.map(agencyName).join(', ')}`;
    case 'overdue':
      return e.data.missing ? e.data.missing.map(agencyName).join(', ') : formatDue(e.data.dueAt);
    case 'escalated':
      return `${t.directives.level} ${e.data.escalation.level} → ${e.data.escalation.target.label} (${e.data.label})`;
    case 'escalation_resolved':
      return e.data.resolution;
    case 'extension_requested': {
      const r = e.data.request;
      const until = r.proposedDueDate ? formatDay(r.proposedDueDate) : formatDue(r.proposedDueAt!);
      return `${t.actions.requested(until)}: ${r.reason}`;
    }
    case 'extension_decided':
      return `${e.data.approved ? t.actions.approve : t.actions.reject}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'completion_submitted':
      return e.data.summary;
    case 'completion_reviewed':
      return `${e.data.accepted ? t.actions.accept : t.actions.returnIt}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'reassigned':
      return `${agencyName(e.data.after.leadAgencyId)}: ${e.data.reason}`;
    case 'cancelled':
      return e.data.reason;
    case 'explanation_requested': {
      const r = e.data.request;
      return `${r.label} · ${agencyName(r.agencyId)} · ${t.explanations.due(formatDue(r.dueAt))}: ${r.question}`;
    }
    case 'explanation_answered':
      return `${e.data.requestId} · ${t.explanations.answered(e.data.answer.late)}: ${e.data.answer.text}`;
    case 'explanation_closed':
      return `${e.data.requestId} · ${e.data.accepted ? t.explanations.accepted : t.explanations.notAccepted}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'replanned': {
      if (e.data.reason !== 'calendar') return '';
      const { cause } = e.data;
      return e.data.moves.map((m) => t.directives.moved(m.kind === 'final', m.label, dueDay(m.from), dueDay(m.to), cause)).join('; ');
    }
    default:
      return '';
  }
}

type DirectivePageProps = {
  ctx: PageContext;
  d: DirectiveDetail;
  events: StoredEventView[];
  agencies: AgencyView[];
  files: AttachmentView[];
  refusal?: Refusal;
  done?: string;
};

const DirectivePage: FC<DirectivePageProps> = ({ ctx, d, events, agencies, files, refusal, done }) => {
  const { t } = ctx;
  const person = ctx.person as Principal;
  const base = `/directives/${d.id}`;
  const name = (id: string) => agencies.find((a) => a.id === id)?.name ?? id;
  const open = d.status !== 'completed' && d.status !== 'cancelled';
  const mine = person.agencyId;
  const assigned = mine !== null && (d.leadAgency.id === mine || d.coordinatingAgencies.some((a) => a.id === mine));
  const lead = mine !== null && d.leadAgency.id === mine;
  const acknowledged = d.acknowledgements.some((a) => a.agencyId === mine);
  const reported = (key: string) => d.reports.some((r) => r.deadlineKey === key && r.agencyId === mine);
  const periods = d.deadlines.filter((x) => x.kind === 'report');
  const pending = d.extensionRequests.filter((x) => x.decision === null);
  const subUnits = agencies.filter((a) => a.parentId === d.leadAgency.id && a.active);
  // Explanation requests my agency has still to answer, and the items past due one may be asked to explain.
  const toAnswer = d.explanationRequests.filter((x) => x.agencyId === mine && x.answer === null && x.closure === null);
  const pastDue = d.deadlines.filter((x) => Date.parse(x.dueAt) <= Date.now());
  // What this person may attach: the source document (who issues), a report's file (an assigned agency), the completion's (the lead), an explanation's (the agency asked).
  const kinds = (['source', 'report', 'completion', 'explanation'] as const).filter((k) =>
    k === 'source' ? may(person.role, 'issueDirectives') : k === 'report' ? assigned : k === 'completion' ? lead : toAnswer.length > 0,
  );
  const openSubtasks = d.subtasks?.items.filter((x) => x.status !== 'completed' && x.status !== 'cancelled').length ?? 0;
  const value = (action: Action, field: string) => (refusal?.action === action ? (refusal.fields[field] ?? '') : '');
  return (
    <Layout ctx={ctx} title={d.title}>
      <hgroup>
        <h1>{d.title}</h1>
        <p>
          <TimelinessBadge t={t} value={d.timeliness} /> · {t.status[d.status]}
          {d.confidential ? <mark> · {t.directives.confidential}</mark> : null}
          {d.returned ? <mark class="returned"> · {t.directives.returned(d.returnCount)}</mark> : null}
          {!d.returned && d.returnCount > 0 ? ` · ${t.directives.returnedBefore(d.returnCount)}` : null}
        </p>
      </hgroup>
      {done ? <Notice kind="ok">{t.actions.done}</Notice> : null}
      <dl>
        <dt>{t.directives.lead}</dt>
        <dd>{d.leadAgency.name}</dd>
        <dt>{t.directives.coordinating}</dt>
        <dd>{d.coordinatingAgencies.map((a) => a.name).join(', ') || t.admin.none}</dd>
        <dt>{t.directives.due}</dt>
        <dd class={d.timeliness === 'open_overdue' ? 'overdue' : undefined}>
          <When iso={d.dueAt} t={t} fallback={t.directives.noDeadline} />
        </dd>
        {d.parent ? (
          <>
            <dt>{t.actions.parent}</dt>
            <dd>
              <a href={`/directives/${d.parent.id}`}>{d.parent.title}</a>
            </dd>
          </>
        ) : null}
        {d.conferenceId ? (
          <>
            <dt>{t.directives.conference}</dt>
            <dd>
              <a href={`/conferences/${d.conferenceId}`}>{t.directives.conference}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {d.body ? (
        <section aria-labelledby="body">
          <h2 id="body">{t.directives.body}</h2>
          <p>{d.body}</p>
        </section>
      ) : null}
      {d.links.temporalUi ? (
        <p>
          <a href={d.links.temporalUi} hx-boost="false" rel="noopener">
            {t.directives.temporal}
          </a>
        </p>
      ) : null}

      {files.length > 0 || (open && kinds.length > 0) ? (
        <section aria-labelledby="files">
          <h2 id="files">{t.actions.files}</h2>
          <ul>
            {files.map((f) => (
              <li>
                <a href={`/attachments/${f.id}`} hx-boost="false">
                  {f.filename}
                </a>{' '}
                · {t.actions.fileKinds[f.kind]}
                {f.deadlineKey ? ` ${f.deadlineKey}` : ''} · {Math.max(1, Math.round(f.size / 1024))} KB · <When iso={f.uploadedAt} t={t} />
                {f.contentType === 'application/pdf' ? (
                  <details>
                    <summary>{t.actions.preview}</summary>
                    <iframe src={`/attachments/${f.id}?inline=1`} title={f.filename} width="100%" height="600" loading="lazy" />
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
          {open && kinds.length > 0 ? (
            <>
              <Refused t={t} language={ctx.language} refusal={refusal} action="attachments" />
              {/* The token and the choices come before the file: the server checks them before it reads the file. */}
              <form method="post" action={`${base}/attachments`} enctype="multipart/form-data" hx-boost="false">
                <Csrf ctx={ctx} />
                <div class="grid">
                  <label>
                    {t.actions.fileKind}
                    <select name="kind">
                      {kinds.map((k) => (
                        <option value={k}>{t.actions.fileKinds[k]}</option>
                      ))}
                    </select>
                  </label>
                  {periods.length > 0 || toAnswer.length > 0 ? (
                    <label>
                      {toAnswer.length > 0 ? t.explanations.forFile : t.actions.period}
                      <select name="deadlineKey">
                        <option value="">—</option>
                        {periods.map((p) => (
                          <option value={p.key}>{p.label}</option>
                        ))}
                        {toAnswer.map((x) => (
                          <option value={x.id}>{x.label}</option>
                        ))}
                      </select>
                    </label>
                  ) : null}
                </div>
                <label>
                  {t.actions.file}
                  <input type="file" name="file" required accept=".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.png,.jpg,.jpeg,.tif,.tiff,.zip" />
                </label>
                <button type="submit">{t.actions.attach}</button>
              </form>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="deadlines">
        <h2 id="deadlines">{t.directives.deadlines}</h2>
        {d.deadlines.length === 0 ? (
          <p>{t.directives.noDeadline}</p>
        ) : (
          <ul>
            {d.deadlines.map((x) => (
              <li>
                {x.label} · <When iso={x.dueAt} t={t} />
                {x.kind === 'report' && mine && reported(x.key) ? ' ✓' : ''}
              </li>
            ))}
          </ul>
        )}
      </section>

      {d.explanationRequests.length > 0 || (open && may(person.role, 'decide') && pastDue.length > 0) ? (
        <section aria-labelledby="explanations">
          <h2 id="explanations">{t.explanations.title}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="explain-answer" />
          <Refused t={t} language={ctx.language} refusal={refusal} action="explain-close" />
          {d.explanationRequests.map((x) => {
            const attached = files.filter((f) => f.kind === 'explanation' && f.deadlineKey === x.id);
            return (
              <article id={`explanation-${x.id}`}>
                <header>
                  <strong>{x.label}</strong> · {name(x.agencyId)} · {t.explanations.due(formatDue(x.dueAt))} ·{' '}
                  <mark>
                    {x.closure ? (x.closure.accepted ? t.explanations.accepted : t.explanations.notAccepted) : x.answer ? t.explanations.answered(x.answer.late) : t.explanations.waiting}
                  </mark>
                </header>
                <p>{x.question}</p>
                {x.answer ? (
                  <blockquote>
                    {x.answer.text}
                    <footer>
                      <When iso={x.answer.at} t={t} />
                      {attached.length > 0 ? ' · ' : ''}
                      {attached.map((f) => (
                        <>
                          <a href={`/attachments/${f.id}`} hx-boost="false">
                            {f.filename}
                          </a>{' '}
                        </>
                      ))}
                    </footer>
                  </blockquote>
                ) : null}
                {x.closure?.note ? <p>{x.closure.note}</p> : null}
                {open && x.agencyId === mine && !x.answer && !x.closure ? (
                  <form method="post" action={`${base}/explain-answer`}>
                    <Csrf ctx={ctx} />
                    <Retry />
                    <input type="hidden" name="requestId" value={x.id} />
                    <label>
                      {t.explanations.answerText}
                      <textarea name="text" required rows={4}>
                        {refusal?.action === 'explain-answer' && refusal.fields.requestId === x.id ? (refusal.fields.text ?? '') : ''}
                      </textarea>
                    </label>
                    <small>{t.explanations.filesFirst}</small>
                    {attached.length > 0 ? <p>{attached.map((f) => f.filename).join(', ')}</p> : null}
                    <button type="submit">{t.explanations.answer}</button>
                  </form>
                ) : null}
                {open && may(person.role, 'decide') && !x.closure ? (
                  <form method="post" action={`${base}/explain-close`}>
                    <Csrf ctx={ctx} />
                    <Retry />
                    <input type="hidden" name="requestId" value={x.id} />
                    <label>
                      {t.explanations.note}
                      <input type="text" name="note" maxlength={2000} />
                    </label>
                    <div role="group">
                      {x.answer ? (
                        <button type="submit" name="accepted" value="true">
                          {t.explanations.accept}
                        </button>
                      ) : null}
                      <button type="submit" name="accepted" value="false" class="secondary">
                        {t.explanations.reject}
                      </button>
                    </div>
                  </form>
                ) : null}
              </article>
            );
          })}
          {open && may(person.role, 'decide') && pastDue.length > 0 ? (
            <details open={refusal?.action === 'explain'}>
              <summary>{t.explanations.ask}</summary>
              <Refused t={t} language={ctx.language} refusal={refusal} action="explain" />
              <form method="post" action={`${base}/explain`}>
                <Csrf ctx={ctx} />
                <Retry />
                <div class="grid">
                  <label>
                    {t.explanations.agency}
                    <select name="agency" required>
                      {[d.leadAgency, ...d.coordinatingAgencies].map((a) => (
                        <option value={a.id} selected={value('explain', 'agency') === a.id}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t.explanations.item}
                    <select name="deadlineKey" required>
                      {pastDue.map((x) => (
                        <option value={x.key} selected={value('explain', 'deadlineKey') === x.key}>
                          {`${x.label} (${formatDue(x.dueAt)})`}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t.explanations.dueDate}
                    <input type="date" name="dueDate" required value={value('explain', 'dueDate')} />
                  </label>
                </div>
                <label>
                  {t.explanations.question}
                  <textarea name="question" required rows={3} maxlength={5000}>
                    {value('explain', 'question')}
                  </textarea>
                </label>
                <button type="submit">{t.explanations.send}</button>
              </form>
            </details>
          ) : null}
        </section>
      ) : null}

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

      {open && lead && !d.parent && subUnits.length > 0 ? (
        <details open={refusal?.action === 'subtasks'}>
          <summary>{t.actions.delegate}</summary>
          <Refused t={t} language={ctx.language} refusal={refusal} action="subtasks" />
          <form method="post" action={`${base}/subtasks`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.subtaskTitle}
              <input type="text" name="title" required maxlength={500} value={value('subtasks', 'title')} />
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

      {open && assigned && !acknowledged ? (
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

      {open && assigned && periods.length > 0 ? (
        <section aria-labelledby="f-report">
          <h2 id="f-report">{t.actions.report}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="report" />
          <form method="post" action={`${base}/report`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.period}
              <select name="deadlineKey" required>
                {periods.map((p) => (
                  <option value={p.key} selected={value('report', 'deadlineKey') === p.key}>
                    {`${p.label} (${formatDue(p.dueAt)})${reported(p.key) ? ' ✓' : ''}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.actions.summary}
              <textarea name="summary" required rows={4}>
                {value('report', 'summary')}
              </textarea>
            </label>
            <button type="submit">{t.actions.report}</button>
          </form>
        </section>
      ) : null}

      {open && lead && d.dueAt && pending.length === 0 && d.status !== 'completion_submitted' ? (
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
              <textarea name="reason" required rows={2}>
                {value('extension', 'reason')}
              </textarea>
            </label>
            <button type="submit">{t.actions.extension}</button>
          </form>
        </section>
      ) : null}

      {open && may(person.role, 'decide') && pending.length > 0 ? (
        <section aria-labelledby="f-decision">
          <h2 id="f-decision">{t.actions.decide}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="decision" />
          {pending.map((x) => (
            <form method="post" action={`${base}/decision`}>
              <Csrf ctx={ctx} />
              <Retry />
              <input type="hidden" name="requestId" value={x.id} />
              <p>
                {t.actions.requested(x.proposedDueDate ? formatDay(x.proposedDueDate) : formatDue(x.proposedDueAt!))}: {x.reason}
              </p>
              <label>
                {t.actions.note}
                <input type="text" name="note" value={value('decision', 'note')} />
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

      {open && lead && d.status !== 'completion_submitted' ? (
        <section aria-labelledby="f-completion">
          <h2 id="f-completion">{t.actions.completion}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="completion" />
          <form method="post" action={`${base}/completion`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.completionSummary}
              <textarea name="summary" required rows={3}>
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
                  <input type="text" name="closeNote" maxlength={2000} value={value('completion', 'closeNote')} />
                </label>
              </>
            ) : null}
            <button type="submit">{t.actions.completion}</button>
          </form>
        </section>
      ) : null}

      {d.status === 'completion_submitted' && may(person.role, 'decide') ? (
        <section aria-labelledby="f-review">
          <h2 id="f-review">{t.actions.review}</h2>
          <Refused t={t} language={ctx.language} refusal={refusal} action="review" />
          <form method="post" action={`${base}/review`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.returnNote}
              <input type="text" name="note" value={value('review', 'note')} />
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

      {open && may(person.role, 'reassign') ? (
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
              <input type="text" name="reason" required value={value('reassign', 'reason')} />
            </label>
            <button type="submit">{t.actions.reassign}</button>
          </form>
        </details>
      ) : null}
      {open && may(person.role, 'cancel') ? (
        <details open={refusal?.action === 'cancel'}>
          <summary>{t.actions.cancel}</summary>
          <Refused t={t} language={ctx.language} refusal={refusal} action="cancel" />
          <form method="post" action={`${base}/cancel`}>
            <Csrf ctx={ctx} />
            <Retry />
            <label>
              {t.actions.cancelReason}
              <input type="text" name="reason" required value={value('cancel', 'reason')} />
            </label>
            <button type="submit" class="contrast">
              {t.actions.cancel}
            </button>
          </form>
        </details>
      ) : null}

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t.directives.timeline}</h2>
        <ol reversed>
          {[...events].reverse().map((e) => (
            <li>
              <When iso={e.occurredAt} t={t} /> · <strong>{t.events[e.type]}</strong> {describe(t, e, name)}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
};

/** My agency's (or my scope's) directives, their pages and every action on them. */
export function directivePages({ services }: WebDeps) {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const q = c.req.query();
    const status = includes(DIRECTIVE_STATUSES, q.status) ? q.status : undefined;
    const timeliness = includes(TIMELINESS, q.timeliness) ? q.timeliness : undefined;
    const [agencies, page] = await Promise.all([
      services.agencies.list(person),
      services.directives.list(person, { q: q.q?.trim() || undefined, status, timeliness, agency: UUID.test(q.agency ?? '') ? q.agency : undefined, ...(q.returned === 'on' ? { returned: true } : {}), limit: 50, cursor: q.cursor || undefined }),
    ]);
    if (page.items.some((d) => d.confidential)) c.set('auditRead', true);
    const next = page.nextCursor ? `/directives?${new URLSearchParams({ ...q, cursor: page.nextCursor }).toString()}` : null;
    return c.html(
      <Layout ctx={ctx} title={t.directives.title}>
        <h1>{t.directives.title}</h1>
        <form method="get" action="/directives" aria-label={t.directives.filter} hx-get="/directives" hx-trigger="input changed delay:400ms from:input, change from:select" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
          <label>
            {t.directives.search}
            <input type="search" name="q" value={q.q ?? ''} />
          </label>
          <div class="grid">
            <label>
              {t.directives.status}
              <select name="status">
                <option value="">{t.directives.any}</option>
                {DIRECTIVE_STATUSES.map((s) => (
                  <option value={s} selected={status === s}>
                    {t.status[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.directives.timeliness}
              <select name="timeliness">
                <option value="">{t.directives.any}</option>
                {TIMELINESS.map((s) => (
                  <option value={s} selected={timeliness === s}>
                    {t.timeliness[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.directives.agency}
              <select name="agency">
                <option value="">{t.directives.any}</option>
                {agencies.map((a) => (
                  <option value={a.id} selected={q.agency === a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            <input type="checkbox" name="returned" value="on" checked={q.returned === 'on'} /> {t.directives.onlyReturned}
          </label>
          <button type="submit">{t.directives.filter}</button>
        </form>
        <div id="results">
          <DirectiveTable t={t} items={page.items} />
          {next ? <a href={next}>{t.directives.more}</a> : null}
        </div>
      </Layout>,
    );
  });

  async function show(c: Context<WebEnv>, refusal?: Refusal, status: 200 | RefusalStatus = 200) {
    const ctx = pageContext(c);
    const person = personOf(c);
    const id = c.req.param('id')!;
    const [d, history, agencies, files] = await Promise.all([
      services.directives.detail(person, id),
      services.directives.events(person, id).catch(() => ({ items: [], confidential: false })),
      services.agencies.list(person),
      services.attachments
        .list(person, id)
        .then((l) => l.items)
        .catch(() => []),
    ]);
    const events = history.items;
    if (d.confidential) c.set('auditRead', true);
    const done = c.req.query('done');
    // A refused form answers at the action's address; the browser's history keeps the page's own.
    const headers: Record<string, string> = refusal ? { 'hx-replace-url': `/directives/${id}` } : {};
    return c.html(<DirectivePage ctx={ctx} d={d} events={events} agencies={agencies} files={files} {...(refusal ? { refusal } : {})} {...(done ? { done } : {})} />, status, headers);
  }

  app.get('/:id{[0-9a-f-]{36}}', (c) => show(c));

  /** One action form: on success back to the page; on a refusal the page again, with the reason on that form. */
  const act = (action: Action, run: (person: Principal, id: string, f: Record<string, string>, retry: { idempotencyKey: string | undefined }, c: Context<WebEnv>) => Promise<unknown>) =>
    app.post(`/:id{[0-9a-f-]{36}}/${action}`, async (c) => {
      const person = personOf(c);
      const id = c.req.param('id');
      const f = await formFields(c);
      const result = await attempt(() => run(person, id, f, { idempotencyKey: f[RETRY_FIELD] || undefined }, c));
      if (result.ok) return seeOther(c, `/directives/${id}?done=${action}`);
      if (result.failure.type === 'NotFound') throw result.failure;
      return show(c, { action, failure: result.failure, fields: f }, result.status);
    });

  const d = services.directives;
  act('acknowledge', (p, id, _f, retry) => d.acknowledge(p, id, retry));
  act('report', (p, id, f, retry) => d.submitReport(p, id, { deadlineKey: f.deadlineKey ?? '', summary: f.summary ?? '' }, retry));
  act('extension', (p, id, f, retry) => d.requestExtension(p, id, { proposedDueDate: f.proposedDueDate || undefined, reason: f.reason ?? '' }, retry));
  act('decision', (p, id, f, retry) => d.decideExtension(p, id, f.requestId ?? '', { approve: f.approve === 'true', note: f.note ?? '' }, retry));
  act('completion', (p, id, f, retry) =>
    d.submitCompletion(p, id, { summary: f.summary ?? '', ...(f.closeOpenSubtasks === 'on' ? { closeOpenSubtasks: { note: f.closeNote?.trim() ?? '' } } : {}) }, retry),
  );
  // A file streams in: the form's token and choices precede it and are checked before it is read (web/security.ts).
  app.post('/:id{[0-9a-f-]{36}}/attachments', async (c) => {
    const id = c.req.param('id');
    const length = c.req.header('content-length');
    const result = await attempt(() =>
      services.attachments.upload(
        personOf(c),
        id,
        {},
        { body: c.req.raw.body, contentType: c.req.header('content-type'), contentLength: length === undefined ? undefined : Number(length) },
        (fields) => requireFormToken(c, fields),
      ),
    );
    if (result.ok) return seeOther(c, `/directives/${id}?done=attachments`);
    if (result.failure.type === 'NotFound') throw result.failure;
    return show(c, { action: 'attachments', failure: result.failure, fields: {} }, result.status);
  });
  act('subtasks', (p, id, f, retry) =>
    d.delegate(p, id, { subtasks: [{ title: f.title?.trim() ?? '', subUnit: f.subUnit ?? '', ...(f.dueDate ? { dueDate: f.dueDate } : {}) }] }, retry),
  );
  act('explain', (p, id, f, retry) =>
    d.requestExplanation(p, id, { agency: f.agency ?? '', deadlineKey: f.deadlineKey ?? '', question: f.question?.trim() ?? '', ...(f.dueDate ? { dueDate: f.dueDate } : {}) }, retry),
  );
  // The answer takes with it every file the agency attached to this request so far.
  act('explain-answer', async (p, id, f, retry) => {
    const requestId = f.requestId ?? '';
    const files = (await services.attachments.list(p, id)).items.filter((x) => x.kind === 'explanation' && x.deadlineKey === requestId);
    return d.answerExplanation(p, id, requestId, { text: f.text?.trim() ?? '', attachmentIds: files.map((x) => x.id) }, retry);
  });
  act('explain-close', (p, id, f, retry) => d.closeExplanation(p, id, f.requestId ?? '', { accepted: f.accepted === 'true', note: f.note?.trim() ?? '' }, retry));
  act('review', (p, id, f, retry) => d.reviewCompletion(p, id, { accept: f.accept === 'true', note: f.note ?? '' }, retry));
  act('reassign', async (p, id, f, retry, c) =>
    d.reassign(p, id, { leadAgency: f.leadAgency ?? '', coordinatingAgencies: (await formList(c, 'coordinatingAgencies')).filter((a) => a !== f.leadAgency), reason: f.reason ?? '' }, retry),
  );
  act('cancel', (p, id, f, retry) => d.cancel(p, id, { reason: f.reason ?? '' }, retry));

  return app;
}
