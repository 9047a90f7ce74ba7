/** A directive's files, and the form to attach one of the kinds the person may (d.allowedActions). */
import type { FC } from 'hono/jsx';
import type { AttachmentView } from '../../../services/attachments.js';
import type { DirectiveDetail } from '../../../services/directives.js';
import { Csrf, When, type PageContext } from '../../layout.js';
import { Refused, type Refusal } from './forms.js';

export const Files: FC<{ ctx: PageContext; d: DirectiveDetail; files: AttachmentView[]; refusal: Refusal | undefined }> = ({ ctx, d, files, refusal }) => {
  const { t } = ctx;
  const base = `/directives/${d.id}`;
  const kinds = d.allowedActions.attach;
  const periods = d.deadlines.filter((x) => x.kind === 'report');
  const toAnswer = d.explanationRequests.filter((x) => d.allowedActions.answerExplanation.includes(x.id));
  return (
    <>
      {files.length > 0 || kinds.length > 0 ? (
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
          {kinds.length > 0 ? (
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
    </>
  );
};
