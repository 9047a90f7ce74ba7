/** Conferences: the list, a conference's page, and importing a conclusion into directives. */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ReportingRegime } from '../../domain/deadlines.js';
import type { RefusalStatus } from '../../domain/failures.js';
import { includes, PERIODIC_REGIMES } from '../../domain/lists.js';
import { may } from '../../domain/policy.js';
import { vnDateOf } from '../../domain/vn-time.js';
import type { NewConference } from '../../services/conferences.js';
import { Counts, DirectiveTable } from '../components.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Day, Layout } from '../layout.js';
import { attempt, formFields, formList, pageContext, personOf, seeOther } from '../page.js';
import { type Meta, type DraftForm, metaFrom, type DraftsProps, DraftsPage, NewPage } from './conference/drafts.js';

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
