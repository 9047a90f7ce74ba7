import type { Config, Logger } from '../config.js';
import type { Language } from '../domain/lists.js';
import type { Principal, Services } from '../services/index.js';
import type { Dictionary } from './i18n.js';

/** How the province's OpenID provider is reached, when single sign-on is configured. */
export type OidcOptions = { issuer: string; clientId: string; clientSecret: string; match: 'email' | 'subject' };

export type WebDeps = {
  services: Services;
  config: { http: Pick<Config['http'], 'publicUrl' | 'trustedProxies'> };
  logger: Logger;
  oidc?: OidcOptions | undefined;
};

export type WebEnv = {
  Variables: {
    /** The signed-in person, if any. */
    person: Principal | undefined;
    sessionToken: string | undefined;
    language: Language;
    t: Dictionary;
    /** The form token of this browser (double-submit: the cookie and the hidden field must match). */
    csrf: string;
    /** This page showed a confidential directive: audited like a write (web/app.tsx). */
    auditRead?: boolean;
    /** Cookies carry Secure: PUBLIC_URL is https. */
    secureCookies?: boolean;
  };
};
