import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ReportingRegime } from '../../domain/deadlines.js';
import type { RefusalStatus } from '../../domain/failures.js';
import { CONFERENCE_KINDS, includes, PERIODIC_REGIMES, type ConferenceKind } from '../../domain/lists.js';
import { may } from '../../domain/policy.js';
import { vnDateOf } from '../../domain/vn-time.js';
import type { AgencyView } from '../../services/agencies.js';
import type { ImportedConclusion } from '../../services/conclusions.js';
import type { NewConference } from '../../services/conferences.js';
import { Counts, DirectiveTable } from '../components.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Day, Layout, Notice, type PageContext } from '../layout.js';
import { attempt, formFields, formList, pageContext, personOf, seeOther } from '../page.js';
import { reasonIn } from '../reasons.js';

/** The conference's own fields, as typed in the first step and carried through the second. */
type Meta = { title: string; kind: ConferenceKind; heldOn: string; chair: string; conclusionRef: string; text: string };
/** One draft as the leader edits it. */
type DraftForm = { include: boolean; title: string; body: string; lead: string; coordinating: string[]; dueDate: string; regime: string; confidential?: boolean };

const metaFrom = (f: Record<string, string>): Meta => ({
  title: f.title?.trim() ?? '',
  kind: includes(CONFERENCE_KINDS, f.kind) ? f.kind : 'giao_ban',
  heldOn: /^\d{4}-\d{2}-\d{2}$/.test(f.heldOn ?? '') ? f.heldOn! : '',
  chair: f.chair?.trim() ?? '',
  conclusionRef: f.conclusionRef?.trim() ?? '',
  text: f.text ?? '',
});

const MetaFields: FC<{ ctx: PageContext; meta: Meta; hidden?: boolean }> = ({ ctx, meta, hidden }) => {
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
const MarkedText: FC<{ text: string; spans: Array<{ start: number; end: number }> }> = ({ text, spans }) => {
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

type DraftsProps = {
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
const Unmatched: FC<{ ctx: PageContext; meta: Meta; imported: ImportedConclusion; agencies: AgencyView[] }> = ({ ctx, meta, imported, agencies }) => {
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

const DraftsPage: FC<DraftsProps> = ({ ctx, meta, imported, drafts, agencies, retry, defaultLead, errors, error, done }) => {
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

const NewPage: FC<{ ctx: PageContext; meta: Meta; error?: string }> = ({ ctx, meta, error }) => {
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
export function conferencePages({ services }: WebDeps) {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const items = await services.conferences.list(person, 100);
    return c.html(
      <Layout ctx={ctx} title={t.conferences.title}>
        <h1>{t.conferences.title}</h1>
        {may(person.role, 'issueDirectives') ? (
          <p>
            <a role="button" href="/conferences/new">
              {t.conferences.new}
            </a>
          </p>
        ) : null}
        {items.length === 0 ? (
          <p>{t.conferences.none}</p>
        ) : (
          <ul>
            {items.map((x) => (
              <li>
                <a href={`/conferences/${x.id}`}>{x.title}</a> · {t.conferenceKinds[x.kind]} · <Day iso={x.heldOn} />
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  app.get('/new', (c) => c.html(<NewPage ctx={pageContext(c)} meta={metaFrom({})} />));

  /** Step one: the text is read into drafts, nothing is issued yet. */
  app.post('/new', async (c) => readDrafts(c, metaFrom(await formFields(c))));

  /** A name the directory did not know, mapped to its agency once; the text is read again with it. */
  app.post('/new/alias', async (c) => {
    const f = await formFields(c);
    const meta = metaFrom(f);
    const mapped = await attempt(() => services.agencies.addAlias(personOf(c), f.agency ?? '', f.mention ?? ''));
    if (!mapped.ok) return readDrafts(c, meta, { error: mapped.failure.message, status: mapped.status });
    return readDrafts(c, meta, { done: pageContext(c).t.conferences.remembered(f.mention ?? '', mapped.value.name) });
  });

  /** The drafts page, with the agencies a draft may be given; it answers at the new-conference address. */
  async function showDrafts(c: Context<WebEnv>, props: Omit<DraftsProps, 'ctx' | 'agencies'>, status: RefusalStatus | 200) {
    const agencies = (await services.agencies.list(personOf(c))).filter((a) => a.active);
    // The reviewed drafts answer at the address they were posted to; history keeps the new-conference page.
    return c.html(<DraftsPage ctx={pageContext(c)} agencies={agencies} {...props} />, status, { 'hx-replace-url': '/conferences/new' });
  }

  async function readDrafts(c: Context<WebEnv>, meta: Meta, after: { done?: string; error?: string; status?: RefusalStatus } = {}) {
    const ctx = pageContext(c);
    const person = personOf(c);
    const result = await attempt(() => services.conclusions.importText(person, meta.text, meta.heldOn || undefined));
    if (!result.ok) return c.html(<NewPage ctx={ctx} meta={meta} error={result.failure.message} />, result.status, { 'hx-replace-url': '/conferences/new' });
    const imported = result.value;
    // A day the text names that has passed already is no deadline to issue with; the leader sets one.
    const today = vnDateOf(new Date());
    const drafts: DraftForm[] = imported.drafts.map((d) => ({
      include: true,
      title: d.suggested.title,
      body: d.suggested.body,
      lead: d.suggested.leadAgency ?? '',
      coordinating: d.suggested.coordinatingAgencies,
      dueDate: d.suggested.dueDate && d.suggested.dueDate > today ? d.suggested.dueDate : '',
      regime: d.suggested.regime?.kind ?? 'none',
    }));
    return showDrafts(
      c,
      {
        meta,
        imported,
        drafts,
        retry: randomUUID(),
        defaultLead: imported.addressees[0]?.code ?? '',
        ...(after.done ? { done: after.done } : {}),
        ...(after.error ? { error: after.error } : {}),
      },
      after.status ?? 200,
    );
  }

  /** Step two: the reviewed drafts issued in one idempotent call; a retried submit issues nothing twice. */
  app.post('/', async (c) => {
    const ctx = pageContext(c);
    const person = personOf(c);
    const f = await formFields(c);
    const meta = metaFrom(f);
    const count = Math.min(100, Number(f.count) || 0);
    const drafts: DraftForm[] = [];
    for (let i = 0; i < count; i++) {
      const n = `d${i}`;
      drafts.push({
        include: f[`${n}.include`] === 'on',
        title: f[`${n}.title`]?.trim() ?? '',
        body: f[`${n}.body`] ?? '',
        lead: f[`${n}.lead`] ?? '',
        coordinating: await formList(c, `${n}.coordinating`),
        dueDate: /^\d{4}-\d{2}-\d{2}$/.test(f[`${n}.dueDate`] ?? '') ? f[`${n}.dueDate`]! : '',
        regime: f[`${n}.regime`] ?? 'none',
        confidential: f[`${n}.confidential`] === 'on',
      });
    }
    const chosen = drafts.map((d, i) => ({ d, i })).filter((x) => x.d.include);
    const defaultLead = f.defaultLead ?? '';
    const regimeOf = (r: string): ReportingRegime => (includes(PERIODIC_REGIMES, r) ? { kind: r } : { kind: 'none' });
    const body: NewConference = {
      title: meta.title,
      kind: meta.kind,
      ...(meta.heldOn ? { heldOn: meta.heldOn } : {}),
      ...(meta.chair ? { chair: meta.chair } : {}),
      ...(meta.conclusionRef ? { conclusionRef: meta.conclusionRef } : {}),
      directives: chosen.map(({ d }) => ({
        title: d.title,
        body: d.body,
        leadAgency: d.lead || defaultLead,
        coordinatingAgencies: d.coordinating.filter((a) => a !== (d.lead || defaultLead)),
        ...(d.dueDate ? { dueDate: d.dueDate } : {}),
        regime: regimeOf(d.regime),
        ...(d.confidential ? { confidential: true } : {}),
      })),
    };
    const again = async (status: RefusalStatus, error?: string, errors?: Map<number, string[]>) =>
      showDrafts(
        c,
        {
          meta,
          imported: await services.conclusions.importText(person, meta.text, meta.heldOn || undefined),
          drafts,
          retry: f._retry || randomUUID(),
          defaultLead,
          ...(errors ? { errors } : {}),
          ...(error ? { error } : {}),
        },
        status,
      );
    if (!meta.title || chosen.length === 0 || chosen.some(({ d }) => !d.title)) return again(422, ctx.t.conferences.name);
    const result = await attempt(() => services.conferences.issue(person, body, { idempotencyKey: f._retry || undefined }));
    if (!result.ok) {
      // A field error points into the conference's directives; each is shown on the draft it came from.
      const errors = new Map<number, string[]>();
      for (const e of result.failure.errors ?? []) {
        const m = /^\/directives\/(\d+)/.exec(e.pointer);
        const draft = m ? chosen[Number(m[1])]?.i : undefined;
        if (draft !== undefined) errors.set(draft, [...(errors.get(draft) ?? []), e.message]);
      }
      return again(result.status, result.failure.message, errors);
    }
    return seeOther(c, `/conferences/${result.value.conference.id}`);
  });

  app.get('/:id{[0-9a-f-]{36}}', async (c: Context<WebEnv>) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const { conference, counts, directives, confidential } = await services.conferences.detail(person, c.req.param('id')!);
    if (confidential) c.set('auditRead', true);
    return c.html(
      <Layout ctx={ctx} title={conference.title}>
        <hgroup>
          <h1>{conference.title}</h1>
          <p>
            {t.conferenceKinds[conference.kind]} · <Day iso={conference.heldOn} />
            {conference.chair ? ` · ${conference.chair}` : ''}
            {conference.conclusionRef ? ` · ${conference.conclusionRef}` : ''}
          </p>
        </hgroup>
        <Counts t={t} counts={counts} />
        <h2>{t.conferences.directives}</h2>
        <DirectiveTable t={t} items={directives} />
      </Layout>,
    );
  });

  return app;
}
