import type { Config, Logger } from '../config.js';
import type { Principal, Services } from '../services/index.js';

export type AppDeps = {
  services: Services;
  config: {
    http: Pick<Config['http'], 'rateLimitPerMinute' | 'publicUrl' | 'trustedProxies' | 'checkHost'>;
    ops: Config['ops'];
    temporal: Pick<Config['temporal'], 'metricsAddress'>;
    oidc?: Config['oidc'];
  };
  logger: Logger;
};

/** `auditRead`: this read showed a confidential directive, so the door audits it like a write. */
export type AppEnv = { Variables: { principal: Principal; requestId: string; auditRead?: boolean } };
