/** People: accounts, roles, invitations, tokens. */
import { type Context } from 'hono';
import { includes, LANGUAGES, ROLES, type Role } from '../../../domain/lists.js';
import type { WebEnv } from '../../context.js';
import { Csrf, Notice } from '../../layout.js';
import { attempt, pageContext, personOf } from '../../page.js';
import { linksFrom } from '../../../domain/links.js';
import { AgencySelect, Flashes, type AdminArea } from './kit.js';

export const registerUsers: AdminArea = (app, { services, config }, { page, post, flashOf, refused }) => {
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
};
