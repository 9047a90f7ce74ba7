import { Hono } from 'hono';
import { ESCALATION_STATES, includes, type EscalationState } from '../../domain/lists.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Layout, Notice, When } from '../layout.js';
import { attempt, pageContext, personOf, seeOther, setFlash, takeFlash } from '../page.js';
import { reasonIn } from '../reasons.js';

/** The escalations addressed to the person: each can be acknowledged; it stays open until the report or completion. */
export function inboxPages({ services }: WebDeps) {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const ctx = pageContext(c);
    const { t } = ctx;
    const person = personOf(c);
    const requested = c.req.query('status');
    const status: EscalationState = includes(ESCALATION_STATES, requested) ? requested : 'open';
    const items = await services.escalations.inbox(person, status, 100);
    const { error } = takeFlash(c);
    return c.html(
      <Layout ctx={ctx} title={t.inbox.title}>
        <h1>{t.inbox.title}</h1>
        {error ? <Notice kind="error">{reasonIn(ctx.language, error)}</Notice> : null}
        <nav aria-label={t.inbox.title}>
          <ul>
            {ESCALATION_STATES.map((s) => (
              <li>
                <a href={`/inbox?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                  {t.escalationStates[s]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div hx-ext="sse" sse-connect="/live">
          <div id="inbox" hx-get={`/inbox?status=${status}`} hx-trigger="sse:changed" hx-select="#inbox" hx-swap="outerHTML" hx-push-url="false">
            {items.length === 0 ? (
              <p>{t.inbox.none}</p>
            ) : (
              <div class="overflow-auto">
                <table class="striped">
                  <thead>
                    <tr>
                      <th scope="col">{t.directives.title}</th>
                      <th scope="col">{t.directives.level}</th>
                      <th scope="col">{t.inbox.to}</th>
                      <th scope="col">{t.directives.due}</th>
                      <th scope="col">{t.escalationStates.all}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((e) => (
                      <tr>
                        <td>
                          <a href={`/directives/${e.directiveId}`}>{e.directiveTitle}</a> ({e.deadlineKey})
                        </td>
                        <td>{e.level}</td>
                        <td>{e.target.label}</td>
                        <td>
                          <When iso={e.dueAt} t={t} />
                        </td>
                        <td>
                          {e.resolvedAt ? (
                            `${t.escalationStates.resolved} (${e.resolution ?? ''})`
                          ) : e.acknowledgedAt ? (
                            t.escalationStates.acknowledged
                          ) : (
                            <form method="post" action={`/inbox/${e.id}/acknowledge`} class="inline">
                              <Csrf ctx={ctx} />
                              <button type="submit">{t.inbox.acknowledge}</button>
                            </form>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </div>
      </Layout>,
    );
  });

  // An escalation's id is a bigint the database counts up: a longer number names none, and would overflow the query.
  app.post('/:id{[1-9][0-9]{0,14}}/acknowledge', async (c) => {
    const person = personOf(c);
    const result = await attempt(() => services.escalations.acknowledge(person, Number(c.req.param('id'))));
    if (!result.ok) {
      if (result.failure.type === 'NotFound') throw result.failure;
      setFlash(c, { error: result.failure.message });
      return seeOther(c, '/inbox');
    }
    return seeOther(c, '/inbox');
  });

  return app;
}
