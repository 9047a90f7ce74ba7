import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import type { WebDeps, WebEnv } from '../context.js';
import { attempt, safeNext, seeOther } from '../page.js';
import { setSessionCookie } from '../security.js';

const FLOW_COOKIE = 'dt_sso';
/** Plain HTTP is only for a provider on this machine (development, tests); anything else must be HTTPS. */
const isLocal = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * Single sign-on with the province's OpenID provider (authorization code flow with PKCE, state and nonce).
 * The person is the user whose subject, or address, the provider vouches for; nobody is created here.
 */
export function ssoPages({ services, oidc: options, config, logger }: WebDeps) {
  const app = new Hono<WebEnv>();
  if (!options) return app;
  const issuer = new URL(options.issuer);
  const redirectUri = `${config.http.publicUrl}/sso/callback`;
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= oidc
      .discovery(issuer, options.clientId, options.clientSecret, undefined, isLocal(issuer) && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {})
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      }));
  const secure = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

  app.get('/start', async (c) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    let url: URL;
    try {
      url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    } catch (err) {
      logger.warn({ err }, 'the OpenID provider cannot be reached');
      return seeOther(c, '/sign-in?sso-error=unavailable');
    }
    // The flow's secrets stay in this browser for ten minutes, for the callback to check.
    setCookie(c, FLOW_COOKIE, JSON.stringify({ verifier, state, nonce, next: safeNext(c.req.query('next')) }), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secure(c),
      path: '/sso',
      maxAge: 600,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/callback', async (c) => {
    const raw = getCookie(c, FLOW_COOKIE);
    deleteCookie(c, FLOW_COOKIE, { path: '/sso' });
    let flow: { verifier: string; state: string; nonce: string; next: string };
    try {
      flow = JSON.parse(raw ?? '') as typeof flow;
    } catch {
      return seeOther(c, '/sign-in?sso-error=flow');
    }
    let subject: string;
    let email: string | undefined;
    try {
      const cfg = await configuration();
      const current = new URL(c.req.url);
      const callback = new URL(`${redirectUri}${current.search}`);
      const tokens = await oidc.authorizationCodeGrant(cfg, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      subject = claims.sub;
      // Only an address the provider says it verified (the claim true, not merely absent) can find a user.
      const verified = (v: Record<string, unknown>) => (typeof v.email === 'string' && v.email_verified === true ? v.email : undefined);
      // Many providers keep the address out of the ID token and give it at the userinfo endpoint.
      email = verified(claims) ?? (options.match === 'email' ? verified(await oidc.fetchUserInfo(cfg, tokens.access_token, subject)) : undefined);
    } catch (err) {
      logger.warn({ err }, 'single sign-on failed');
      return seeOther(c, '/sign-in?sso-error=refused');
    }
    const result = await attempt(() => services.accounts.signInWithOidc({ subject, email }, options.match));
    if (!result.ok) return seeOther(c, '/sign-in?sso-error=no-user');
    setSessionCookie(c, result.value);
    return seeOther(c, safeNext(flow.next));
  });

  return app;
}
