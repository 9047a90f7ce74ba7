import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { includes, LANGUAGES } from '../../domain/lists.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Layout, Notice, type PageContext } from '../layout.js';
import { attempt, clientAddress, formFields, pageContext, safeNext, seeOther } from '../page.js';
import { reasonIn } from '../reasons.js';
import { clearSessionCookie, setLanguageCookie, setSessionCookie } from '../security.js';

const SignInForm: FC<{ ctx: PageContext; next: string; email?: string; error?: string; notice?: string; sso: boolean }> = ({ ctx, next, email, error, notice, sso }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.signIn.title}>
      <article>
        <h1>{t.signIn.title}</h1>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        <form method="post" action="/sign-in" hx-boost="false">
          <Csrf ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <label>
            {t.signIn.email}
            <input type="email" name="email" autocomplete="username" required value={email ?? ''} />
          </label>
          <label>
            {t.signIn.password}
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <button type="submit">{t.signIn.submit}</button>
        </form>
        {sso ? (
          <>
            <p>{t.signIn.or}</p>
            <a role="button" class="secondary" href={`/sso/start?next=${encodeURIComponent(next)}`} hx-boost="false">
              {t.signIn.sso}
            </a>
          </>
        ) : null}
      </article>
    </Layout>
  );
};

const InvitationForm: FC<{ ctx: PageContext; token: string; name: string; error?: string }> = ({ ctx, token, name, error }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.invitation.title}>
      <article>
        <h1>{t.invitation.title}</h1>
        <p>{t.invitation.lead(name)}</p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <form method="post" action={`/invitations/${token}`} hx-boost="false">
          <Csrf ctx={ctx} />
          <label>
            {t.invitation.password}
            <input type="password" name="password" autocomplete="new-password" minlength={10} required />
          </label>
          <label>
            {t.invitation.repeat}
            <input type="password" name="repeat" autocomplete="new-password" minlength={10} required />
          </label>
          <button type="submit">{t.invitation.submit}</button>
        </form>
      </article>
    </Layout>
  );
};

/** Signing in and out, invitations, and the language switch: the pages a person reaches before signing in. */
export function signInPages({ services, oidc, config }: WebDeps) {
  const app = new Hono<WebEnv>();
  const sso = oidc !== undefined;

  app.get('/sign-in', (c) => {
    const ctx = pageContext(c);
    if (ctx.person) return seeOther(c, safeNext(c.req.query('next')));
    const notice = c.req.query('signed-out') !== undefined ? ctx.t.signIn.signedOut : undefined;
    const error = c.req.query('sso-error') === 'no-user' ? ctx.t.signIn.ssoNoUser : c.req.query('sso-error') ? ctx.t.signIn.ssoFailed : undefined;
    return c.html(<SignInForm ctx={ctx} next={safeNext(c.req.query('next'))} sso={sso} {...(notice ? { notice } : {})} {...(error ? { error } : {})} />);
  });

  app.post('/sign-in', async (c) => {
    const f = await formFields(c);
    const ctx = pageContext(c);
    const next = safeNext(f.next);
    const result = await attempt(() => services.accounts.signIn(f.email ?? '', f.password ?? '', clientAddress(c, config.http.trustedProxies)));
    if (!result.ok) {
      const error = result.failure.type === 'TooManyAttempts' ? ctx.t.signIn.locked : ctx.t.signIn.failed;
      return c.html(<SignInForm ctx={ctx} next={next} email={f.email ?? ''} error={error} sso={sso} />, result.status);
    }
    setSessionCookie(c, result.value);
    return seeOther(c, next);
  });

  app.post('/sign-out', async (c) => {
    const token = c.get('sessionToken');
    if (token) await services.accounts.endSession(token);
    clearSessionCookie(c);
    return seeOther(c, '/sign-in?signed-out');
  });

  app.get('/invitations/:token', async (c) => {
    const ctx = pageContext(c);
    const invitation = await services.accounts.invitation(c.req.param('token'));
    if (!invitation) {
      return c.html(
        <Layout ctx={ctx} title={ctx.t.invitation.title}>
          <Notice kind="error">{ctx.t.invitation.invalid}</Notice>
        </Layout>,
        404,
      );
    }
    return c.html(<InvitationForm ctx={ctx} token={c.req.param('token')} name={invitation.name} />);
  });

  app.post('/invitations/:token', async (c) => {
    const ctx = pageContext(c);
    const token = c.req.param('token');
    const f = await formFields(c);
    const invitation = await services.accounts.invitation(token);
    if (!invitation) return seeOther(c, `/invitations/${encodeURIComponent(token)}`);
    if (f.password !== f.repeat) return c.html(<InvitationForm ctx={ctx} token={token} name={invitation.name} error={ctx.t.invitation.mismatch} />, 422);
    const result = await attempt(() => services.accounts.acceptInvitation(token, f.password ?? ''));
    if (!result.ok) {
      const error = result.failure.code === 'weak-password' ? ctx.t.invitation.weak : reasonIn(ctx.language, result.failure.message);
      return c.html(<InvitationForm ctx={ctx} token={token} name={invitation.name} error={error} />, result.status);
    }
    setSessionCookie(c, result.value);
    return seeOther(c, '/');
  });

  /** Vietnamese or English: kept with the person when signed in, in a cookie before. */
  app.post('/language', async (c) => {
    const f = await formFields(c);
    const language = includes(LANGUAGES, f.language) ? f.language : 'vi';
    setLanguageCookie(c, language);
    const person = c.get('person');
    if (person) {
      const current = await services.users.preferences(person);
      await services.users.setPreferences(person, { ...current, language });
    }
    return seeOther(c, safeNext(f.back));
  });

  return app;
}
