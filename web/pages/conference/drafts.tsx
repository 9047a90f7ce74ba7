/** The import's pages: the conclusion's metadata, its text with the found tasks marked, the drafts to review. */
import type { FC } from 'hono/jsx';
import { CONFERENCE_KINDS, includes, PERIODIC_REGIMES, type ConferenceKind } from '../../../domain/lists.js';
import type { AgencyView } from '../../../services/agencies.js';
import type { ImportedConclusion } from '../../../services/conclusions.js';
import { Csrf, Layout, Notice, type PageContext } from '../../layout.js';
import { reasonIn } from '../../reasons.js';

/** The conference's own fields, as typed in the first step and carried through the second. */
export type Meta = { title: string; kind: ConferenceKind; heldOn: string; chair: string; conclusionRef: string; text: string };
/** One draft as the leader edits it. */
export type DraftForm = { include: boolean; title: string; body: string; lead: string; coordinating: string[]; dueDate: string; regime: string; confidential?: boolean };

export const metaFrom = (f: Record<string, string>): Meta => ({
  title: f.title?.trim() ?? '',
  kind: includes(CONFERENCE_KINDS, f.kind) ? f.kind : 'giao_ban',
  heldOn: /^\d{4}-\d{2}-\d{2}$/.test(f.heldOn ?? '') ? f.heldOn! : '',
  chair: f.chair?.trim() ?? '',
  conclusionRef: f.conclusionRef?.trim() ?? '',
  text: f.text ?? '',
});

export const MetaFields: FC<{ ctx: PageContext; meta: Meta; hidden?: boolean }> = ({ ctx, meta, hidden }) => {
  const { t } = ctx;
  if (hidden) {
    return (
      <>
        {(['title', 'kind', 'heldOn', 'chair', 'conclusionRef'] as const).map((k) => (
          <input type="hidden" name={k} value={meta[k]} />
        ))}
        <textarea name="text" hidden aria-hidden="true">
          {meta.text}
        </textarea>
      </>
    );
  }
  return (
    <>
      <label>
        {t.conferences.name}
        <input type="text" name="title" required maxlength={500} value={meta.title} />
      </label>
      <div class="grid">
        <label>
          {t.conferences.kind}
          <select name="kind">
            {CONFERENCE_KINDS.map((k) => (
              <option value={k} selected={meta.kind === k}>
                {t.conferenceKinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.conferences.heldOn}
          <input type="date" name="heldOn" value={meta.heldOn} />
        </label>
      </div>
      <div class="grid">
        <label>
          {t.conferences.chair}
          <input type="text" name="chair" maxlength={200} value={meta.chair} />
        </label>
        <label>
          {t.conferences.conclusionRef}
          <input type="text" name="conclusionRef" maxlength={200} value={meta.conclusionRef} />
        </label>
      </div>
    </>
  );
};

/** The conclusion with each draft's source marked, so the leader sees where each task was read from. */
export const MarkedText: FC<{ text: string; spans: Array<{ start: number; end: number }> }> = ({ text, spans }) => {
  const order = spans.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start);
  const parts: Array<string | { text: string; i: number }> = [];
  let at = 0;
  for (const s of order) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start), { text: text.slice(s.start, s.end), i: s.i });
    at = s.end;
  }
  parts.push(text.slice(at));
  return (
    <div class="conclusion" tabindex={0}>
      {parts.map((p) => (typeof p === 'string' ? p : <mark id={`span-${p.i + 1}`}>{p.text}</mark>))}
    </div>
  );
};

export type DraftsProps = {
  ctx: PageContext;
  meta: Meta;
  imported: ImportedConclusion;
  drafts: DraftForm[];
  agencies: AgencyView[];
  retry: string;
  /** The lead of every draft that names none: the conclusion's addressee, when the directory has it. */
  defaultLead: string;
  errors?: Map<number, string[]>;
  error?: string;
  done?: string;
};

/**
 * The bodies the text addresses that the directory does not know: a leader maps each once to its agency, which
 * keeps the name as an alias, and the text is read again with it.
 */
export const Unmatched: FC<{ ctx: PageContext; meta: Meta; imported: ImportedConclusion; agencies: AgencyView[] }> = ({ ctx, meta, imported, agencies }) => {
  const { t } = ctx;
  if (imported.unmatchedMentions.length === 0) return null;
  return (
    <section aria-labelledby="unmatched">
      <h3 id="unmatched">{t.conferences.unmatched}</h3>
      <p>{t.conferences.unmatchedHelp}</p>
      {imported.unmatchedMentions.map((m, i) => (
        <form method="post" action="/conferences/new/alias">
          <Csrf ctx={ctx} />
          <MetaFields ctx={ctx} meta={meta} hidden />
          <input type="hidden" name="mention" value={m.text} />
          <label>
            {t.conferences.mapTo(m.text)}
            <select name="agency" id={`unmatched-${i}`}>
              {agencies.map((a) => (
                <option value={a.id}>{a.name}</option>
              ))}
            </select>
          </label>
          <button type="submit">{t.conferences.remember}</button>
        </form>
      ))}
    </section>
  );
};

export const DraftsPage: FC<DraftsProps> = ({ ctx, meta, imported, drafts, agencies, retry, defaultLead, errors, error, done }) => {
  const { t } = ctx;
  const skipped = imported.passages.filter((p) => p.kind !== 'tasks');
  return (
    <Layout ctx={ctx} title={t.conferences.new}>
      <h1>{meta.title || t.conferences.new}</h1>
      <p>{t.conferences.stated(imported.statedCount, imported.drafts.length)}</p>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {imported.warnings.map((w) => (
        <Notice kind="error">{w.message}</Notice>
      ))}
      {error ? <Notice kind="error">{reasonIn(ctx.language, error)}</Notice> : null}
      {skipped.length > 0 ? (
        <details>
          <summary>{t.conferences.skipped(skipped.length)}</summary>
          <ul>
            {skipped.map((p) => (
              <li>{p.excerpt}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <Unmatched ctx={ctx} meta={meta} imported={imported} agencies={agencies} />
      <div class="side-by-side">
        <section aria-labelledby="text">
          <h2 id="text">{t.conferences.text}</h2>
          <MarkedText text={imported.text} spans={imported.drafts.map((d) => d.span)} />
        </section>
        <section aria-labelledby="drafts">
          <h2 id="drafts">{t.conferences.drafts}</h2>
          <form method="post" action="/conferences">
            <Csrf ctx={ctx} />
            <input type="hidden" name="_retry" value={retry} />
            <MetaFields ctx={ctx} meta={meta} hidden />
            <input type="hidden" name="count" value={String(drafts.length)} />
            <label>
              {t.conferences.defaultLead}
              <select name="defaultLead">
                <option value="">{t.conferences.pickLead}</option>
                {agencies.map((a) => (
                  <option value={a.code} selected={defaultLead === a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            {drafts.map((d, i) => {
              const n = `d${i}`;
              const mine = errors?.get(i);
              return (
                <fieldset aria-labelledby={`${n}-legend`}>
                  <legend id={`${n}-legend`}>
                    <a href={`#span-${i + 1}`} hx-boost="false">
                      {imported.drafts[i]?.marker || `(${i + 1})`}
                    </a>
                    {imported.drafts[i]?.addressee ? ` · ${t.conferences.addressedTo(imported.drafts[i]!.addressee!.text)}` : null}
                  </legend>
                  {mine ? <Notice kind="error">{mine.map((m) => reasonIn(ctx.language, m)).join(' ')}</Notice> : null}
                  <label>
                    <input type="checkbox" name={`${n}.include`} value="on" checked={d.include} /> {t.conferences.include}
                  </label>
                  <label>
                    <input type="checkbox" name={`${n}.confidential`} value="on" checked={d.confidential === true} /> {t.directives.confidentialMark}
                  </label>
                  <label>
                    {t.conferences.draftTitle}
                    <input type="text" name={`${n}.title`} value={d.title} maxlength={500} aria-invalid={mine ? 'true' : undefined} />
                  </label>
                  <textarea name={`${n}.body`} hidden aria-hidden="true">
                    {d.body}
                  </textarea>
                  <div class="grid">
                    <label>
                      {t.directives.lead}
                      <select name={`${n}.lead`} aria-invalid={mine ? 'true' : undefined}>
                        <option value="">{t.conferences.pickLead}</option>
                        {agencies.map((a) => (
                          <option value={a.code} selected={d.lead === a.code}>
                            {a.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t.directives.due}
                      <input type="date" name={`${n}.dueDate`} value={d.dueDate} />
                    </label>
                  </div>
                  <div class="grid">
                    <label>
                      {t.directives.coordinating}
                      <select name={`${n}.coordinating`} multiple size={4}>
                        {agencies.map((a) => (
                          <option value={a.code} selected={d.coordinating.includes(a.code)}>
                            {a.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t.conferences.regime}
                      <select name={`${n}.regime`}>
                        {(['none', ...PERIODIC_REGIMES] as const).map((r) => (
                          <option value={r} selected={d.regime === r}>
                            {t.regimes[r]}
                          </option>
                        ))}
                      </select>
                    </label>
                  </div>
                </fieldset>
              );
            })}
            <button type="submit">{t.conferences.issue}</button>
          </form>
        </section>
      </div>
    </Layout>
  );
};

export const NewPage: FC<{ ctx: PageContext; meta: Meta; error?: string }> = ({ ctx, meta, error }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.conferences.new}>
      <h1>{t.conferences.new}</h1>
      {error ? <Notice kind="error">{reasonIn(ctx.language, error)}</Notice> : null}
      <form method="post" action="/conferences/new">
        <Csrf ctx={ctx} />
        <MetaFields ctx={ctx} meta={meta} />
        <label>
          {t.conferences.text}
          <textarea name="text" required rows={14}>
            {meta.text}
          </textarea>
        </label>
        <button type="submit">{t.conferences.read}</button>
      </form>
    </Layout>
  );
};

/** Conferences: the list, one conference with its directives and counts, and a new one from its conclusion. */
