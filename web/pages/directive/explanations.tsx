/** A directive's explanation requests: each with its answer and closing, and the forms the person may use. */
import type { FC } from 'hono/jsx';
import { TEXT_LIMITS } from '../../../domain/limits.js';
import { formatDue } from '../../../domain/vn-time.js';
import type { AttachmentView } from '../../../services/attachments.js';
import type { DirectiveDetail } from '../../../services/directives.js';
import { Csrf, When, type PageContext } from '../../layout.js';
import { Refused, Retry, typedInto, type Refusal } from './forms.js';

export const Explanations: FC<{ ctx: PageContext; d: DirectiveDetail; files: AttachmentView[]; refusal: Refusal | undefined; name: (id: string) => string }> = ({
  ctx,
  d,
  files,
  refusal,
  name,
}) => {
  const { t } = ctx;
  const base = `/directives/${d.id}`;
  const allowed = d.allowedActions;
  const value = typedInto(refusal);
  const toClose = (requestId: string) => allowed.closeExplanation.find((x) => x.requestId === requestId);
  const askable = allowed.requestExplanation.flatMap((x) => {
    const item = d.deadlines.find((y) => y.key === x.deadlineKey);
    return item ? [{ value: `${x.deadlineKey} ${x.agencyId}`, label: `${item.label} (${formatDue(item.dueAt)}) · ${name(x.agencyId)}` }] : [];
  });
  return (
    <>
      {d.explanationRequests.length > 0 || askable.length > 0 ? (
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
                {allowed.answerExplanation.includes(x.id) ? (
                  <form method="post" action={`${base}/explain-answer`}>
                    <Csrf ctx={ctx} />
                    <Retry />
                    <input type="hidden" name="requestId" value={x.id} />
                    <label>
                      {t.explanations.answerText}
                      <textarea name="text" required rows={4} maxlength={TEXT_LIMITS.summary}>
                        {refusal?.action === 'explain-answer' && refusal.fields.requestId === x.id ? (refusal.fields.text ?? '') : ''}
                      </textarea>
                    </label>
                    <small>{t.explanations.filesFirst}</small>
                    {attached.length > 0 ? <p>{attached.map((f) => f.filename).join(', ')}</p> : null}
                    <button type="submit">{t.explanations.answer}</button>
                  </form>
                ) : null}
                {toClose(x.id) ? (
                  <form method="post" action={`${base}/explain-close`}>
                    <Csrf ctx={ctx} />
                    <Retry />
                    <input type="hidden" name="requestId" value={x.id} />
                    <label>
                      {t.explanations.note}
                      <input type="text" name="note" maxlength={TEXT_LIMITS.note} />
                    </label>
                    <div role="group">
                      {toClose(x.id)?.accept ? (
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
          {askable.length > 0 ? (
            <details open={refusal?.action === 'explain'}>
              <summary>{t.explanations.ask}</summary>
              <Refused t={t} language={ctx.language} refusal={refusal} action="explain" />
              <form method="post" action={`${base}/explain`}>
                <Csrf ctx={ctx} />
                <Retry />
                <div class="grid">
                  <label>
                    {t.explanations.item}
                    <select name="item" required>
                      {askable.map((x) => (
                        <option value={x.value} selected={value('explain', 'item') === x.value}>
                          {x.label}
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
                  <textarea name="question" required rows={3} maxlength={TEXT_LIMITS.question}>
                    {value('explain', 'question')}
                  </textarea>
                </label>
                <button type="submit">{t.explanations.send}</button>
              </form>
            </details>
          ) : null}
        </section>
      ) : null}
    </>
  );
};
