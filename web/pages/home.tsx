import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import type { EscalationView } from '../../services/escalations.js';
import { Counts, DirectiveTable } from '../components.js';
import type { WebDeps, WebEnv } from '../context.js';
import type { Dictionary } from '../i18n.js';
import { Layout, When } from '../layout.js';
import { pageContext, personOf } from '../page.js';

export const EscalationList: FC<{ t: Dictionary; items: EscalationView[] }> = ({ t, items }) =>
  items.length === 0 ? (
    <p>{t.inbox.none}</p>
  ) : (
    <ul>
      {items.map((e) => (
        <li>
          <a href={`/directives/${e.directiveId}`}>{e.directiveTitle}</a> · {t.directives.level} {e.level} · {t.inbox.to} {e.target.label} ·{' '}
          <When iso={e.dueAt} t={t} />
        </li>
      ))}
    </ul>
  );

/**
 * "Việc của tôi": what needs the person now. With JavaScript it listens to the server's events and refreshes
 * itself when a reminder or an escalation is recorded; without, it is a plain page.
 */
export function homePage({ services }: WebDeps) {
  const app = new Hono<WebEnv>();
  app.get('/', async (c) => {
    const ctx = pageContext(c);
    const person = personOf(c);
    const { t } = ctx;
    const [work, inbox] = await Promise.all([services.directives.workload(person), services.escalations.inbox(person, 'open', 20)]);
    // A confidential directive shown here is a read of it, audited (web/app.tsx).
    if ([...work.overdue, ...work.dueSoon, ...work.extensions, ...work.reviews, ...work.explanations].some((d) => d.confidential)) c.set('auditRead', true);
    return c.html(
      <Layout ctx={ctx} title={t.home.title}>
        <h1>{t.home.title}</h1>
        <div hx-ext="sse" sse-connect="/live">
          <p class="who">{t.home.live}</p>
          <div id="work" hx-get="/" hx-trigger="sse:changed" hx-select="#work" hx-swap="outerHTML" hx-push-url="false">
            <section aria-labelledby="overdue">
              <h2 id="overdue" class="overdue">
                {t.home.overdue} ({work.overdue.length})
              </h2>
              <DirectiveTable t={t} items={work.overdue} />
            </section>
            <section aria-labelledby="escalations">
              <h2 id="escalations">
                {t.home.escalations} ({inbox.length})
              </h2>
              <EscalationList t={t} items={inbox} />
            </section>
            {work.explanations.length > 0 ? (
              <section aria-labelledby="explanations">
                <h2 id="explanations">
                  {t.home.explanations} ({work.explanations.length})
                </h2>
                <DirectiveTable t={t} items={work.explanations} />
              </section>
            ) : null}
            <section aria-labelledby="due-soon">
              <h2 id="due-soon">
                {t.home.dueSoon} ({work.dueSoon.length})
              </h2>
              <DirectiveTable t={t} items={work.dueSoon} />
            </section>
            {person.role === 'officer' ? null : (
              <>
                <section aria-labelledby="extensions">
                  <h2 id="extensions">
                    {t.home.extensions} ({work.extensions.length})
                  </h2>
                  <DirectiveTable t={t} items={work.extensions} />
                </section>
                <section aria-labelledby="reviews">
                  <h2 id="reviews">
                    {t.home.reviews} ({work.reviews.length})
                  </h2>
                  <DirectiveTable t={t} items={work.reviews} />
                </section>
              </>
            )}
            <section aria-labelledby="counts">
              <h2 id="counts">{t.home.counts}</h2>
              <Counts t={t} counts={work.counts} />
            </section>
          </div>
        </div>
      </Layout>,
    );
  });
  return app;
}
