/** What every admin page shares: the sub-navigation, the page frame, and a form that comes back with what happened. */
import type { Hono, Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { Language } from '../../../domain/lists.js';
import type { WebDeps, WebEnv } from '../../context.js';
import type { Dictionary } from '../../i18n.js';
import { Layout, Notice, type PageContext } from '../../layout.js';
import { attempt, formFields, seeOther, setFlash, takeFlash, type Flash } from '../../page.js';
import { reasonIn } from '../../reasons.js';
import type { AgencyView } from '../../../services/agencies.js';

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

/** The helpers of one admin area, over the sub-app its routes go on. */
export function adminKit(app: Hono<WebEnv>) {
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
  return { page, post, flashOf, refused };
}

export type AdminKit = ReturnType<typeof adminKit>;
export type AdminArea = (app: Hono<WebEnv>, deps: WebDeps, kit: AdminKit) => void;

export const AgencySelect: FC<{ name: string; all: AgencyView[]; label: string; empty: string; selected?: string | null }> = ({ name, all, label, empty, selected }) => (
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

export const Flashes: FC<{ flash: Flash & { language: Language } }> = ({ flash }) => (
  <>
    {flash.error ? <Notice kind="error">{reasonIn(flash.language, flash.error)}</Notice> : null}
    {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
  </>
);
