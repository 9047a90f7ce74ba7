/** The directory: the agency tree, adding and editing an agency, merging one and the split wizard. */
import { type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { FailureType, ServiceFailure } from '../../../domain/failures.js';
import { parseSplitRules } from '../../../domain/split.js';
import type { AgencyView, SplitRequest } from '../../../services/agencies.js';
import type { WebEnv } from '../../context.js';
import { Csrf, Notice, type PageContext } from '../../layout.js';
import { attempt, formFields, pageContext, personOf, seeOther, setFlash } from '../../page.js';
import { reasonIn } from '../../reasons.js';
import { AgencySelect, Flashes, type AdminArea } from './kit.js';

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

export const registerAgencies: AdminArea = (app, { services }, { page, post, flashOf }) => {
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
};
