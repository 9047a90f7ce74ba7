/** Agencies' webhooks: registering, their secrets, removing. */
import { type Context } from 'hono';
import type { WebEnv } from '../../context.js';
import { Csrf, Notice } from '../../layout.js';
import { attempt, formFields, pageContext, personOf } from '../../page.js';
import { AgencySelect, Flashes, type AdminArea } from './kit.js';

export const registerWebhooks: AdminArea = (app, { services }, { page, post, flashOf, refused }) => {
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
};
