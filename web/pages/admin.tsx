import { Hono, type Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { CALENDAR_OVERRIDE_KINDS, includes, LANGUAGES, ROLES, type Language, type Role } from '../../domain/lists.js';
import { FailureType, ServiceFailure } from '../../domain/failures.js';
import { formatDay, formatDue } from '../../domain/vn-time.js';
import { parseSplitRules } from '../../domain/split.js';
import type { AgencyView, SplitRequest } from '../../services/agencies.js';
import type { WebDeps, WebEnv } from '../context.js';
import type { Dictionary } from '../i18n.js';
import { Csrf, Layout, Notice, type PageContext } from '../layout.js';
import { attempt, formFields, pageContext, personOf, seeOther, setFlash, takeFlash, type Flash } from '../page.js';
import { reasonIn } from '../reasons.js';
import { linksFrom } from '../../domain/links.js';

const SubNav: FC<{ t: Dictionary; current: string }> = ({ t, current }) => (
  <nav aria-label={t.admin.title}>
    <ul>
      {(
        [
          ['agencies', t.admin.agencies],
          ['users', t.admin.users],
          ['calendar', t.admin.calendar],
          ['webhooks', t.admin.webhooks],
          ['audit', t.admin.audit],
        ] as const
      ).map(([k, label]) => (
        <li>
          <a href={`/admin/${k}`} aria-current={current === k ? 'page' : undefined}>
            {label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/** The directory as a tree of organisational parents, each with its supervising agency and a form to change it. */
const AgencyTree: FC<{ ctx: PageContext; all: AgencyView[]; parent: string | null }> = ({ ctx, all, parent }) => {
  const { t } = ctx;
  const children = all.filter((a) => a.parentId === parent || (parent === null && a.parentId !== null && !all.some((x) => x.id === a.parentId)));
  if (children.length === 0) return null;
  const name = (id: string | null) => all.find((a) => a.id === id)?.name ?? t.admin.none;
  return (
    <ul>
      {children.map((a) => (
        <li>
          <strong>{a.name}</strong> ({a.code}){a.supervisorId ? ` · ${t.admin.supervisor}: ${name(a.supervisorId)}` : ''}
          {a.active ? '' : ` · ${t.admin.revoked}`}
          <details>
            <summary>{`${t.admin.edit}: ${a.code}`}</summary>
            <form method="post" action={`/admin/agencies/${a.id}`}>
              <Csrf ctx={ctx} />
              <label>
                {t.admin.name}
                <input type="text" name="name" required maxlength={300} value={a.name} />
              </label>
              <div class="grid">
                <AgencySelect name="parentId" all={all.filter((x) => x.id !== a.id)} label={t.admin.parent} empty={t.admin.none} selected={a.parentId} />
                <AgencySelect name="supervisorId" all={all.filter((x) => x.id !== a.id)} label={t.admin.supervisor} empty={t.admin.none} selected={a.supervisorId} />
              </div>
              <label>
                <input type="checkbox" name="active" value="on" checked={a.active} /> {t.admin.active}
              </label>
              <button type="submit">{t.admin.save}</button>
            </form>
            {a.active ? (
              <form method="post" action={`/admin/agencies/${a.id}/merge`}>
                <Csrf ctx={ctx} />
                <AgencySelect name="successorId" all={all.filter((x) => x.id !== a.id && x.active)} label={t.admin.mergeInto} empty={t.admin.none} />
                <small>{t.admin.mergeHelp}</small>
                <button type="submit" class="secondary">
                  {t.admin.merge}
                </button>
              </form>
            ) : null}
            {a.active ? <a href={`/admin/agencies/${a.id}/split`}>{t.admin.split}</a> : null}
          </details>
          <AgencyTree ctx={ctx} all={all} parent={a.id} />
        </li>
      ))}
    </ul>
  );
};

const AgencySelect: FC<{ name: string; all: AgencyView[]; label: string; empty: string; selected?: string | null }> = ({ name, all, label, empty, selected }) => (
  <label>
    {label}
    <select name={name}>
      <option value="">{empty}</option>
      {all.map((a) => (
        <option value={a.id} selected={a.id === selected}>
          {a.name}
        </option>
      ))}
    </select>
  </label>
);

const Flashes: FC<{ flash: Flash & { language: Language } }> = ({ flash }) => (
  <>
    {flash.error ? <Notice kind="error">{reasonIn(flash.language, flash.error)}</Notice> : null}
    {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
  </>
);

/** The split form's fields as a request: `d:<directive>` and `u:<user>` selects, the rules as "CODE: words" lines. */
function splitRequestOf(f: Record<string, string>, all: AgencyView[]): { value: Partial<SplitRequest> & { defaultSuccessorId: string }; errors: string[] } {
  const { rules, errors } = parseSplitRules(f.rules ?? '', (code) => all.find((a) => a.code.toLowerCase() === code.toLowerCase())?.id);
  const pick = (prefix: string) =>
    Object.entries(f)
      .filter(([k, v]) => k.startsWith(prefix) && v)
      .map(([k, v]) => [k.slice(prefix.length), v] as const);
  return {
    value: {
      defaultSuccessorId: f.defaultSuccessorId ?? '',
      rules,
      directives: pick('d:').map(([directiveId, toAgencyId]) => ({ directiveId, toAgencyId })),
      users: pick('u:').map(([userId, to]) => ({ userId, toAgencyId: to === 'revoke' ? null : to })),
    },
    errors,
  };
}

/** Agencies, users, the working-day calendar and webhooks, for admins. */
export function adminPages({ services, config }: WebDeps) {
  const app = new Hono<WebEnv>();
  const page = (ctx: PageContext, current: string, title: string, body: Child) => (
    <Layout ctx={ctx} title={title}>
      <h1>{ctx.t.admin.title}</h1>
      <SubNav t={ctx.t} current={current} />
      <h2>{title}</h2>
      {body}
    </Layout>
  );
  /** An admin form: success and refusal both come back to the page, with what happened. */
  const post = (path: string, back: string, run: (c: Context<WebEnv>, f: Record<string, string>) => Promise<string | void>) =>
    app.post(path, async (c) => {
      const f = await formFields(c);
      const result = await attempt(() => run(c, f));
      setFlash(c, result.ok ? { ok: result.value ?? c.get('t').actions.done } : { error: result.failure.message });
      return seeOther(c, back);
    });
  const flashOf = (c: Context<WebEnv>) => ({ ...takeFlash(c), language: c.get('language') });
  const refused = (c: Context<WebEnv>, back: string, message: string) => {
    setFlash(c, { error: message });
    return seeOther(c, back);
  };

  app.get('/', (c) => seeOther(c, '/admin/agencies'));

  app.get('/agencies', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const all = await services.agencies.list(personOf(c));
    return c.html(
      page(
        ctx,
        'agencies',
        t.admin.agencies,
        <>
          <Flashes flash={flashOf(c)} />
          <div class="tree">
            <AgencyTree ctx={ctx} all={all} parent={null} />
          </div>
          <h3>{t.admin.add}</h3>
          <form method="post" action="/admin/agencies">
            <Csrf ctx={ctx} />
            <div class="grid">
              <label>
                {t.admin.code}
                <input type="text" name="code" required pattern="[A-Za-z0-9._-]+" maxlength={50} />
              </label>
              <label>
                {t.admin.shortName}
                <input type="text" name="shortName" maxlength={100} />
              </label>
            </div>
            <label>
              {t.admin.name}
              <input type="text" name="name" required maxlength={300} />
            </label>
            <div class="grid">
              <AgencySelect name="parentId" all={all} label={t.admin.parent} empty={t.admin.none} />
              <AgencySelect name="supervisorId" all={all} label={t.admin.supervisor} empty={t.admin.none} />
            </div>
            <button type="submit">{t.admin.add}</button>
          </form>
        </>,
      ),
    );
  });
  post('/agencies/:id{[0-9a-f-]{36}}', '/admin/agencies', async (c, f) => {
    await services.agencies.update(personOf(c), c.req.param('id')!, {
      name: f.name?.trim() ?? '',
      parentId: f.parentId || null,
      supervisorId: f.supervisorId || null,
      active: f.active === 'on',
    });
  });
  post('/agencies/:id{[0-9a-f-]{36}}/merge', '/admin/agencies', async (c, f) => {
    if (!f.successorId) throw new ServiceFailure(FailureType.Invalid, c.get('t').admin.mergeInto);
    await services.agencies.merge(personOf(c), c.req.param('id')!, { successorId: f.successorId });
  });
  /**
   * Splitting an agency: the form shows each open directive with the successor the rules give it (changed by
   * "Preview"), lets the admin choose one per directive and say where each user goes; a refusal comes back
   * as the same form with the reason.
   */
  const splitPage = async (c: Context<WebEnv>, f: Record<string, string> = {}, error?: string) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const id = c.req.param('id')!;
    const [all, people] = await Promise.all([services.agencies.list(person), services.users.list(person)]);
    const agency = all.find((a) => a.id === id);
    if (!agency) throw new ServiceFailure(FailureType.NotFound, `No agency ${id}.`);
    const request = splitRequestOf(f, all);
    // Where the rules alone send each directive (the admin's own choices are the selects' values).
    const plan = await services.agencies.splitPreview(person, id, { ...request.value, directives: [], defaultSuccessorId: request.value.defaultSuccessorId || '' });
    const successors = all.filter((x) => x.id !== id && x.active);
    const nameOf = (aid: string) => all.find((x) => x.id === aid)?.name ?? '—';
    const staff = people.filter((u) => u.agencyId === id && !u.revoked);
    return c.html(
      page(
        ctx,
        'agencies',
        t.admin.splitTitle(agency.name),
        <>
          {error || request.errors.length ? <Notice kind="error">{[error ? reasonIn(ctx.language, error) : '', ...request.errors].filter(Boolean).join(' · ')}</Notice> : null}
          <p>{t.admin.splitHelp}</p>
          <form method="post" action={`/admin/agencies/${id}/split`}>
            <Csrf ctx={ctx} />
            <AgencySelect name="defaultSuccessorId" all={successors} label={t.admin.splitDefault} empty={t.admin.none} selected={f.defaultSuccessorId ?? null} />
            <label>
              {t.admin.splitRules}
              <textarea name="rules" rows={4} placeholder="SYT: y tế, bệnh viện">
                {f.rules ?? ''}
              </textarea>
              <small>{t.admin.splitRulesHelp}</small>
            </label>
            <h3>{t.admin.splitDirectives}</h3>
            {plan.length === 0 ? <p>{t.admin.splitNone}</p> : null}
            {plan.map((p) => (
              <label>
                {p.title}
                <select name={`d:${p.directiveId}`}>
                  <option value="">{t.admin.splitByPlan(nameOf(p.toAgencyId))}</option>
                  {successors.map((a) => (
                    <option value={a.id} selected={f[`d:${p.directiveId}`] === a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            {staff.length ? <h3>{t.admin.splitUsers}</h3> : null}
            {staff.map((u) => (
              <label>
                {u.name}
                <select name={`u:${u.id}`}>
                  <option value="">{t.admin.splitUserDefault}</option>
                  {successors.map((a) => (
                    <option value={a.id} selected={f[`u:${u.id}`] === a.id}>
                      {a.name}
                    </option>
                  ))}
                  <option value="revoke" selected={f[`u:${u.id}`] === 'revoke'}>
                    {t.admin.splitDeactivate}
                  </option>
                </select>
              </label>
            ))}
            <div class="grid">
              <button type="submit" name="intent" value="preview" class="secondary">
                {t.admin.splitPreview}
              </button>
              <button type="submit" name="intent" value="split">
                {t.admin.split}
              </button>
            </div>
          </form>
        </>,
      ),
    );
  };
  app.get('/agencies/:id{[0-9a-f-]{36}}/split', (c) => splitPage(c));
  app.post('/agencies/:id{[0-9a-f-]{36}}/split', async (c) => {
    const f = await formFields(c);
    if (f.intent !== 'split') return splitPage(c, f);
    const request = splitRequestOf(f, await services.agencies.list(personOf(c)));
    if (request.errors.length) return splitPage(c, f);
    if (!request.value.defaultSuccessorId) return splitPage(c, f, c.get('t').admin.splitDefault);
    const result = await attempt(() => services.agencies.split(personOf(c), c.req.param('id')!, request.value as SplitRequest));
    if (!result.ok) return splitPage(c, f, result.failure.message);
    setFlash(c, { ok: c.get('t').admin.splitDone });
    return seeOther(c, '/admin/agencies');
  });
  post('/agencies', '/admin/agencies', async (c, f) => {
    await services.agencies.create(personOf(c), {
      code: f.code?.trim() ?? '',
      name: f.name?.trim() ?? '',
      ...(f.shortName?.trim() ? { shortName: f.shortName.trim() } : {}),
      ...(f.parentId ? { parentId: f.parentId } : {}),
      ...(f.supervisorId ? { supervisorId: f.supervisorId } : {}),
    });
  });

  // Secrets shown once (an invitation link, a signing secret) are rendered in the answer to the form, never put in a URL.
  const usersPage = async (c: Context<WebEnv>, invitation?: string) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const [users, agencies] = await Promise.all([services.users.list(person), services.agencies.list(person)]);
    return c.html(
      page(
        ctx,
        'users',
        t.admin.users,
        <>
          <Flashes flash={flashOf(c)} />
          {invitation ? (
            <Notice kind="ok">
              {t.admin.inviteLink} <code>{linksFrom(config.http.publicUrl).invitation(invitation)}</code> {t.admin.inviteCode} <code>{invitation}</code>
            </Notice>
          ) : null}
          <div class="overflow-auto">
            <table class="striped">
              <thead>
                <tr>
                  <th scope="col">{t.admin.name}</th>
                  <th scope="col">{t.admin.email}</th>
                  <th scope="col">{t.admin.role}</th>
                  <th scope="col">{t.directives.agency}</th>
                  <th scope="col">{t.admin.setPassword}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr>
                    <td>
                      {u.name}
                      {u.revoked ? ` (${t.admin.revoked})` : ''}
                    </td>
                    <td>{u.email ?? t.admin.none}</td>
                    <td>{t.roles[u.role]}</td>
                    <td>{agencies.find((a) => a.id === u.agencyId)?.name ?? t.admin.none}</td>
                    <td>
                      {u.revoked ? (
                        <form method="post" action={`/admin/users/${u.id}/restore`} class="inline">
                          <Csrf ctx={ctx} />
                          <button type="submit" class="secondary outline">
                            {t.admin.restore}
                          </button>
                        </form>
                      ) : (
                        <>
                          <form method="post" action={`/admin/users/${u.id}/password`}>
                            <Csrf ctx={ctx} />
                            <input type="password" name="password" aria-label={`${t.admin.setPassword}: ${u.name}`} autocomplete="new-password" minlength={10} required />
                            <button type="submit" class="secondary">
                              {t.admin.setPassword}
                            </button>
                          </form>
                          <form method="post" action={`/admin/users/${u.id}/invitation`} class="inline">
                            <Csrf ctx={ctx} />
                            <button type="submit" class="secondary outline">
                              {t.admin.invite}
                            </button>
                          </form>{' '}
                          <form method="post" action={`/admin/users/${u.id}/unlock`} class="inline">
                            <Csrf ctx={ctx} />
                            <button type="submit" class="secondary outline">
                              {t.admin.unlock}
                            </button>
                          </form>{' '}
                          {u.id === person.userId ? null : (
                            <form method="post" action={`/admin/users/${u.id}/revoke`} class="inline">
                              <Csrf ctx={ctx} />
                              <button type="submit" class="contrast outline">
                                {t.admin.revoke}
                              </button>
                            </form>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t.admin.add}</h3>
          <form method="post" action="/admin/users">
            <Csrf ctx={ctx} />
            <div class="grid">
              <label>
                {t.admin.name}
                <input type="text" name="name" required maxlength={200} />
              </label>
              <label>
                {t.admin.email}
                <input type="email" name="email" />
              </label>
            </div>
            <div class="grid">
              <label>
                {t.admin.role}
                <select name="role">
                  {ROLES.map((r) => (
                    <option value={r}>{t.roles[r]}</option>
                  ))}
                </select>
              </label>
              <AgencySelect name="agencyId" all={agencies} label={t.directives.agency} empty={t.admin.none} />
              <label>
                {t.language.label}
                <select name="language">
                  {LANGUAGES.map((l) => (
                    <option value={l}>{t.language[l]}</option>
                  ))}
                </select>
              </label>
            </div>
            <button type="submit">{t.admin.add}</button>
          </form>
        </>,
      ),
    );
  };
  app.get('/users', (c) => usersPage(c));
  post('/users', '/admin/users', async (c, f) => {
    const role: Role = includes(ROLES, f.role) ? f.role : 'officer';
    await services.users.create(personOf(c), {
      name: f.name?.trim() ?? '',
      role,
      language: includes(LANGUAGES, f.language) ? f.language : 'vi',
      ...(f.email?.trim() ? { email: f.email.trim() } : {}),
      ...(f.agencyId ? { agencyId: f.agencyId } : {}),
    });
  });
  post('/users/:id{[0-9a-f-]{36}}/password', '/admin/users', async (c, f) => {
    await services.accounts.setPassword(personOf(c), c.req.param('id')!, f.password ?? '');
  });
  app.post('/users/:id{[0-9a-f-]{36}}/invitation', async (c) => {
    const result = await attempt(() => services.accounts.invite(personOf(c), c.req.param('id')));
    if (!result.ok) return refused(c, '/admin/users', result.failure.message);
    return usersPage(c, result.value.token);
  });
  post('/users/:id{[0-9a-f-]{36}}/revoke', '/admin/users', async (c) => {
    await services.users.revokeToken(personOf(c), c.req.param('id')!);
  });
  post('/users/:id{[0-9a-f-]{36}}/unlock', '/admin/users', async (c) => {
    await services.accounts.unlock(personOf(c), c.req.param('id')!);
  });
  // The new token is for machines and is not shown here: the person signs in again through an invitation.
  post('/users/:id{[0-9a-f-]{36}}/restore', '/admin/users', async (c) => {
    await services.users.restore(personOf(c), c.req.param('id')!);
  });

  app.get('/calendar', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const year = Math.min(2100, Math.max(2000, Number(c.req.query('year')) || new Date().getUTCFullYear()));
    const cal = await services.calendar.year(personOf(c), year);
    const changes = await services.calendar.changes(personOf(c), 10, year);
    return c.html(
      page(
        ctx,
        'calendar',
        `${t.admin.calendar} ${year}`,
        <>
          <Flashes flash={flashOf(c)} />
          <form method="get" action="/admin/calendar" class="inline">
            <label>
              {t.admin.year}
              <input type="number" name="year" min={2000} max={2100} value={String(year)} />
            </label>
          </form>
          <h3>{t.admin.holidays}</h3>
          <p>{cal.verified ? t.admin.calendarVerified : t.admin.calendarUnverified}</p>
          <ul>
            {cal.holidays.map((h) => {
              const source = h.decidedBy ?? h.source;
              return (
                <li>
                  {formatDay(h.date)} · {h.name} · <small>{source.document ?? t.admin.sourceKinds[source.kind]}</small>
                </li>
              );
            })}
          </ul>
          <h3>{t.admin.dayOff} / {t.admin.workingDay}</h3>
          <ul>
            {cal.overrides.map((o) => (
              <li>
                {formatDay(o.date)} · {o.kind === 'day_off' ? t.admin.dayOff : t.admin.workingDay}
                {o.note ? ` · ${o.note}` : ''}{' '}
                <form method="post" action={`/admin/calendar/${o.date}/remove`} class="inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="secondary outline">
                    {t.admin.remove}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action="/admin/calendar">
            <Csrf ctx={ctx} />
            <div class="grid">
              <label>
                {t.admin.date}
                <input type="date" name="date" required />
              </label>
              <label>
                {t.admin.role}
                <select name="kind">
                  {CALENDAR_OVERRIDE_KINDS.map((k) => (
                    <option value={k}>{k === 'day_off' ? t.admin.dayOff : t.admin.workingDay}</option>
                  ))}
                </select>
              </label>
            </div>
            <label>
              {t.admin.note}
              <input type="text" name="note" maxlength={500} />
            </label>
            <button type="submit">{t.admin.save}</button>
          </form>
          <h3>{t.admin.calendarChanges}</h3>
          <p>
            <small>{t.admin.calendarChangesHelp}</small>
          </p>
          <ul>
            {changes.map((ch) => (
              <li>
                {ch.dates.length > 3 ? `${formatDay(ch.dates[0]!)} … ${formatDay(ch.dates.at(-1)!)}` : ch.dates.map(formatDay).join(', ')} · {ch.cause} ·{' '}
                <small>
                  {ch.finishedAt
                    ? t.admin.replanned(ch.examined ?? 0, ch.moved ?? 0)
                    : ch.startedAt
                      ? t.admin.replanRunning
                      : t.admin.replanPending}
                </small>
              </li>
            ))}
          </ul>
        </>,
      ),
    );
  });
  post('/calendar', '/admin/calendar', async (c, f) => {
    const kind = includes(CALENDAR_OVERRIDE_KINDS, f.kind) ? f.kind : 'day_off';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date ?? '')) throw new ServiceFailure(FailureType.Invalid, c.get('t').admin.date);
    await services.calendar.setOverride(personOf(c), f.date!, { kind, ...(f.note?.trim() ? { note: f.note.trim() } : {}) });
  });
  post('/calendar/:date{\\d{4}-\\d{2}-\\d{2}}/remove', '/admin/calendar', async (c) => {
    await services.calendar.removeOverride(personOf(c), c.req.param('date')!);
  });

  app.get('/audit', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const cursor = c.req.query('cursor');
    const actor = c.req.query('actor');
    const byActor: { actor?: string } = actor && /^[0-9a-f-]{36}$/.test(actor) ? { actor } : {};
    const { items, nextCursor } = await services.audit.list(personOf(c), { limit: 100, ...byActor, ...(cursor && /^[0-9a-z]{1,20}$/.test(cursor) ? { cursor } : {}) });
    return c.html(
      page(
        ctx,
        'audit',
        t.admin.audit,
        <>
          <p>
            <small>{t.admin.auditHelp}</small> <a href="/admin/audit/export">{t.admin.auditExport}</a>
          </p>
          <div class="overflow-auto">
            <table>
              <thead>
                <tr>
                  {t.admin.auditColumns.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr>
                    <td>{formatDue(e.at)}</td>
                    <td>{e.actorName ?? '—'}</td>
                    <td>{e.role ?? '—'}</td>
                    <td>
                      <code>{e.action}</code>
                      <br />
                      <small>{e.path}</small>
                    </td>
                    <td>{e.status}</td>
                    <td>{e.address}</td>
                    <td>{e.door}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {nextCursor ? <a href={`/admin/audit?${new URLSearchParams(byActor.actor ? { actor: byActor.actor, cursor: nextCursor } : { cursor: nextCursor }).toString()}`}>{t.admin.auditOlder}</a> : null}
        </>,
      ),
    );
  });
  app.get('/audit/export', async (c) =>
    c.body(await services.audit.exportCsv(personOf(c), {}), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="audit-log.csv"',
    }),
  );

  const webhooksPage = async (c: Context<WebEnv>, secret?: string) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const [hooks, agencies] = await Promise.all([services.webhooks.list(person), services.agencies.list(person)]);
    return c.html(
      page(
        ctx,
        'webhooks',
        t.admin.webhooks,
        <>
          <Flashes flash={flashOf(c)} />
          {secret ? (
            <Notice kind="ok">
              {t.admin.secretOnce} <code>{secret}</code>
            </Notice>
          ) : null}
          <ul>
            {hooks.map((h) => (
              <li>
                {agencies.find((a) => a.id === h.agencyId)?.name ?? h.agencyId} · <code>{h.url}</code> · {h.active ? t.admin.active : t.admin.revoked}
                {h.lastError ? ` · ${h.lastError}` : ''}
                <div role="group">
                  <form method="post" action={`/admin/webhooks/${h.id}/${h.active ? 'disable' : 'enable'}`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="secondary outline">
                      {h.active ? t.admin.disable : t.admin.enable}
                    </button>
                  </form>
                  <form method="post" action={`/admin/webhooks/${h.id}/secret`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="secondary outline">
                      {t.admin.rotate}
                    </button>
                  </form>
                  <form method="post" action={`/admin/webhooks/${h.id}/remove`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="contrast outline">
                      {t.admin.remove}
                    </button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
          <form method="post" action="/admin/webhooks">
            <Csrf ctx={ctx} />
            <div class="grid">
              <AgencySelect name="agencyId" all={agencies} label={t.directives.agency} empty={t.admin.none} />
              <label>
                {t.admin.url}
                <input type="url" name="url" required />
              </label>
            </div>
            <button type="submit">{t.admin.add}</button>
          </form>
        </>,
      ),
    );
  };
  app.get('/webhooks', (c) => webhooksPage(c));
  app.post('/webhooks', async (c) => {
    const f = await formFields(c);
    const result = await attempt(() => services.webhooks.create(personOf(c), { agencyId: f.agencyId ?? '', url: f.url ?? '' }));
    if (!result.ok) return refused(c, '/admin/webhooks', result.failure.message);
    return webhooksPage(c, result.value.secret ?? undefined);
  });
  post('/webhooks/:id{[0-9a-f-]{36}}/enable', '/admin/webhooks', async (c) => void (await services.webhooks.update(personOf(c), c.req.param('id')!, { active: true })));
  post('/webhooks/:id{[0-9a-f-]{36}}/disable', '/admin/webhooks', async (c) => void (await services.webhooks.update(personOf(c), c.req.param('id')!, { active: false })));
  app.post('/webhooks/:id{[0-9a-f-]{36}}/secret', async (c) => {
    const result = await attempt(() => services.webhooks.rotateSecret(personOf(c), c.req.param('id')));
    if (!result.ok) return refused(c, '/admin/webhooks', result.failure.message);
    return webhooksPage(c, result.value.secret);
  });
  post('/webhooks/:id{[0-9a-f-]{36}}/remove', '/admin/webhooks', async (c) => services.webhooks.remove(personOf(c), c.req.param('id')!));

  return app;
}
