import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { DIRECTIVE_STATUSES, includes, TIMELINESS } from '../../domain/lists.js';
import type { RefusalStatus } from '../../domain/failures.js';
import type { AttachmentView } from '../../services/attachments.js';
import { requireFormToken } from '../security.js';
import type { AgencyView } from '../../services/agencies.js';
import type { DirectiveDetail, StoredEventView } from '../../services/directives.js';
import type { Principal } from '../../services/index.js';
import { DirectiveTable } from '../components.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Layout, Notice, TimelinessBadge, When, type PageContext } from '../layout.js';
import { attempt, formFields, formList, pageContext, personOf, seeOther } from '../page.js';
import { Actions } from './directive/actions.js';
import { Explanations } from './directive/explanations.js';
import { Files } from './directive/files.js';
import { offers, RefusedElsewhere, RETRY_FIELD, UUID, type Action, type Refusal } from './directive/forms.js';
import { Timeline } from './directive/timeline.js';

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
  const name = (id: string) => agencies.find((a) => a.id === id)?.name ?? id;
  // Every form on the page is one the engine accepts (d.allowedActions): the page derives no rule of its own.
  const mine = person.agencyId;
  const assigned = mine !== null && (d.leadAgency.id === mine || d.coordinatingAgencies.some((a) => a.id === mine));
  const acknowledged = d.acknowledgements.some((a) => a.agencyId === mine);
  const reported = (key: string) => d.reports.some((r) => r.deadlineKey === key && r.agencyId === mine);
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
      {refusal && !offers(d.allowedActions, refusal, agencies.some((a) => a.parentId === d.leadAgency.id && a.active)) ? (
        <RefusedElsewhere t={t} refusal={refusal} language={ctx.language} />
      ) : null}
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

      <Files ctx={ctx} d={d} files={files} refusal={refusal} />

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

      <Explanations ctx={ctx} d={d} files={files} refusal={refusal} name={name} />

      <Actions ctx={ctx} d={d} agencies={agencies} refusal={refusal} name={name} assigned={assigned} acknowledged={acknowledged} />
      <Timeline t={t} events={events} name={name} />
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
  // The page offers one choice per overdue item and agency that owes it ("<key> <agency>"); a client may name both apart.
  act('explain', (p, id, f, retry) => {
    const [deadlineKey, agency] = f.item ? f.item.split(' ') : [f.deadlineKey, f.agency];
    return d.requestExplanation(p, id, { agency: agency ?? '', deadlineKey: deadlineKey ?? '', question: f.question?.trim() ?? '', ...(f.dueDate ? { dueDate: f.dueDate } : {}) }, retry);
  });
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
