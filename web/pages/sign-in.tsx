import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { includes, LANGUAGES } from '../../domain/lists.js';
import type { WebDeps, WebEnv } from '../context.js';
import { Csrf, Layout, Notice, type PageContext } from '../layout.js';
import { clientAddress } from '../../http/shared/request.js';
import { attempt, formFields, pageContext, safeNext, seeOther } from '../page.js';
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

/**
 * Setting a password from an invitation. The code is a field of the form's body: the link an admin hands out
 * carries it after `#`, which browsers never send, and /assets/invitation.js copies it into the field (without
 * scripts, the person pastes the code they were given beside the link).
 */
const InvitationForm: FC<{ ctx: PageContext; code?: string; error?: string }> = ({ ctx, code, error }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.invitation.title}>
      <article>
        <h1>{t.invitation.title}</h1>
        <p>{t.invitation.lead}</p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <form method="post" action="/invitations" hx-boost="false">
          <Csrf ctx={ctx} />
          <label>
            {t.invitation.code}
            <input type="text" name="code" id="invitation-code" autocomplete="one-time-code" spellcheck={false} required maxlength={100} value={code ?? ''} />
          </label>
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
        <script src="/assets/invitation.js" defer></script>
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
      const wait = result.failure.retryAfterSeconds;
      const error = result.failure.type === 'TooManyAttempts' ? ctx.t.signIn.locked(wait ?? 60) : ctx.t.signIn.failed;
      if (wait !== undefined) c.header('retry-after', String(wait));
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

  app.get('/invitations', (c) => c.html(<InvitationForm ctx={pageContext(c)} />));

  app.post('/invitations', async (c) => {
    const ctx = pageContext(c);
    const f = await formFields(c);
    const code = (f.code ?? '').trim().slice(0, 100);
    const result = await attempt(() => services.accounts.acceptInvitation(code, f.password ?? '', f.repeat ?? ''));
    if (!result.ok) {
      const { invitation } = ctx.t;
      const reasons: Record<string, string> = { 'password-mismatch': invitation.mismatch, 'weak-password': invitation.weak, 'invitation-voided': invitation.voided };
      const error = reasons[result.failure.code ?? ''] ?? invitation.invalid;
      // A code that still works stays in the form for the next try; a dead one is not shown again.
      const keep = result.failure.code === 'password-mismatch' || result.failure.code === 'weak-password';
      return c.html(<InvitationForm ctx={ctx} error={error} {...(keep ? { code } : {})} />, result.status);
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
