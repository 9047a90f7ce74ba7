import { pino, type Logger } from 'pino';
import { z } from 'zod';
import path from 'node:path';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/**
 * Who may read the operational endpoints: anyone (`open`), a client on this machine that no proxy forwarded
 * (`loopback`), a bearer of OPS_TOKEN (`token`, for a Prometheus elsewhere), or nobody (`closed`).
 */
export const OPS_MODES = ['open', 'loopback', 'token', 'closed'] as const;
export type OpsMode = (typeof OPS_MODES)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalString,
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: optionalString,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('directives'),
  TEMPORAL_CLI: optionalString,
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'ADMIN_TOKEN must be at least 24 characters').optional()),
  TEMPORAL_UI_URL: optionalString,
  TEMPORAL_METRICS_ADDRESS: optionalString,
  TEMPORAL_WORKFLOW_BUNDLE: optionalString,
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** The largest file that may be attached, in bytes (25 MB). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(25 * 1024 * 1024),
  /** Set: attachments are stored in this S3 (or S3-compatible) bucket instead of PostgreSQL. */
  ATTACHMENT_S3_BUCKET: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'ATTACHMENT_S3_BUCKET is a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens')
      .optional(),
  ),
  ATTACHMENT_S3_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/, message: 'ATTACHMENT_S3_ENDPOINT must be an http(s) URL' }).optional()),
  ATTACHMENT_S3_REGION: optionalString.pipe(z.string().regex(/^[a-z0-9-]{1,64}$/, 'ATTACHMENT_S3_REGION is a region name such as us-east-1').optional()),
  ATTACHMENT_S3_PREFIX: optionalString.pipe(
    z
      .string()
      .max(512, 'ATTACHMENT_S3_PREFIX is at most 512 characters')
      .refine((v) => !v.startsWith('/'), 'ATTACHMENT_S3_PREFIX does not start with "/" (keys are relative to the bucket)')
      .optional(),
  ),
  ATTACHMENT_S3_FORCE_PATH_STYLE: optionalString.pipe(z.enum(['true', 'false', '1', '0'], { message: 'ATTACHMENT_S3_FORCE_PATH_STYLE is true or false' }).optional()),
  ATTACHMENT_S3_ACCESS_KEY_ID: optionalString,
  ATTACHMENT_S3_SECRET_ACCESS_KEY: optionalString,
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Who may read /metrics, /docs and /openapi.json; unset: `loopback` in development, `closed` in production. */
  OPS_ENDPOINTS: optionalString.pipe(z.enum(OPS_MODES, { message: `OPS_ENDPOINTS is one of ${OPS_MODES.join(', ')}` }).optional()),
  OPS_TOKEN: optionalString.pipe(z.string().min(24, 'OPS_TOKEN must be at least 24 characters').optional()),
  PATH: z.string().default(''),
  TEST_DATABASE_ADMIN_URL: z.string().default('postgres://postgres@127.0.0.1:5432/postgres'),
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, message: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional()),
  MAIL_FROM: z.string().default('Theo dõi nhiệm vụ <directive-tracker@localhost>'),
  MAIL_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(1025),
  DIGEST_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DIGEST_AT is a time of day, HH:MM (Vietnam time)')
    .default('07:30'),
  WEBHOOK_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false', '1', '0']).default('false'),
  WEBHOOK_DISABLE_AFTER_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  OIDC_ISSUER: optionalString.pipe(z.url({ protocol: /^https?$/, message: 'OIDC_ISSUER must be an http(s) URL' }).optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_MATCH: z.enum(['email', 'subject']).default('email'),
  REPORT_PARENT_BODY: z.string().trim().min(1).default('TỈNH ỦY ĐỒNG THÁP'),
  REPORT_ISSUER: z.string().trim().min(1).default('BAN NỘI CHÍNH'),
  REPORT_SYMBOL: z.string().trim().min(1).default('BC-BNCTU'),
  REPORT_PLACE: z.string().trim().min(1).default('Đồng Tháp'),
  REPORT_SIGNER_TITLE: z.string().trim().min(1).default('TRƯỞNG BAN'),
  REPORT_SIGNER_NAME: z.string().trim().default(''),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /**
   * `trustedProxies`: how many proxies in front add an X-Forwarded-For entry that may be believed. `checkHost`
   * (production): a request for another host than PUBLIC_URL's is refused, so a name rebound to this server's
   * address reaches nothing.
   */
  http: { host: string; port: number; publicUrl: string; rateLimitPerMinute: number; trustedProxies: number; checkHost: boolean };
  /** /metrics, /docs and /openapi.json: who may read them (OPS_ENDPOINTS), and the token of `token`. */
  ops: { endpoints: OpsMode; token: string | undefined };
  dataDir: string;
  /** PostgreSQL URL, or undefined for the embedded PGlite database under dataDir. */
  databaseUrl: string | undefined;
  temporal: {
    /** undefined means: run the embedded Temporal dev server (dev command only). */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    cli: string | undefined;
    devPort: number;
    devUiPort: number;
    /** Where links to a workflow in the Temporal UI point; unset means no links. */
    uiUrl: string | undefined;
    /** host:port where the worker's Temporal runtime serves Prometheus metrics; unset: not exported. */
    metricsAddress: string | undefined;
    /** A workflow bundle file to run instead of the build's (a release drill); unset: the build's own. */
    workflowBundle: string | undefined;
    /**
     * Workflow runs a worker keeps in memory between their tasks. A directive's run wakes days apart, so a cached
     * run is memory held for nothing most of the time, and a miss costs one replay of its (≤ 1,000-event) history.
     */
    maxCachedWorkflows: number;
  };
  /** The OS search path, for finding the Temporal CLI and Go. */
  systemPath: string;
  adminToken: string | undefined;
  testDatabaseAdminUrl: string;
  /** Single sign-on with the province's OpenID provider; undefined: passwords only. */
  oidc: { issuer: string; clientId: string; clientSecret: string; match: 'email' | 'subject' } | undefined;
  /** Who the Word reports say issues them (Decree 30/2020/NĐ-CP header, symbol, place, signature). */
  report: { parentBody: string; body: string; symbol: string; place: string; signerTitle: string; signerName: string };
  attachments: {
    maxBytes: number;
    /** Where new files' bytes go: an S3 (or S3-compatible) bucket; undefined: PostgreSQL (attachment_chunks). */
    s3?: AttachmentS3Config | undefined;
  };
  notify: {
    /** undefined: `npm run dev` runs its own mail catcher; standalone workers record mail as skipped. */
    smtpUrl: string | undefined;
    mailFrom: string;
    /** Port of the dev command's mail catcher. */
    mailCatcherPort: number;
    digestAt: { hour: number; minute: number };
    webhookFailureLimit: number;
    /** …and only once the failures have gone on this long. */
    webhookDisableAfterSeconds: number;
    /** Webhooks may target loopback, private and link-local addresses (a receiver on the same network). */
    webhookAllowPrivateTargets: boolean;
  };
};

/** An S3 (or S3-compatible) bucket for attachments; objects are keyed `<prefix><sha256>`. */
export type AttachmentS3Config = {
  bucket: string;
  /** An S3-compatible server's URL (MinIO, Ceph, Garage…); undefined: AWS's endpoint for the region. */
  endpoint: string | undefined;
  region: string;
  prefix: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`: what most S3-compatible servers want. */
  forcePathStyle: boolean;
  /** undefined: the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.OIDC_ISSUER && (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  }
  if (e.OPS_ENDPOINTS === 'token' && !e.OPS_TOKEN) throw new ConfigError('Invalid configuration:\n  OPS_ENDPOINTS=token needs OPS_TOKEN (the bearer token a scraper sends)');
  // A token that protects nothing would be silently ignored.
  if (e.OPS_TOKEN && e.OPS_ENDPOINTS !== 'token') throw new ConfigError('Invalid configuration:\n  OPS_TOKEN is only read with OPS_ENDPOINTS=token');
  const s3Problem = attachmentS3Problem(e);
  if (s3Problem) throw new ConfigError(`Invalid configuration:\n  ${s3Problem}`);
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      trustedProxies: e.TRUSTED_PROXIES,
      checkHost: e.NODE_ENV === 'production',
    },
    ops: { endpoints: e.OPS_ENDPOINTS ?? (e.NODE_ENV === 'production' ? 'closed' : 'loopback'), token: e.OPS_TOKEN },
    dataDir,
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cli: e.TEMPORAL_CLI,
      devPort: e.TEMPORAL_PORT,
      devUiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL,
      metricsAddress: e.TEMPORAL_METRICS_ADDRESS,
      workflowBundle: e.TEMPORAL_WORKFLOW_BUNDLE,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
    },
    systemPath: e.PATH,
    adminToken: e.ADMIN_TOKEN,
    testDatabaseAdminUrl: e.TEST_DATABASE_ADMIN_URL,
    oidc: e.OIDC_ISSUER ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, match: e.OIDC_MATCH } : undefined,
    attachments: {
      maxBytes: e.ATTACHMENT_MAX_BYTES,
      s3: e.ATTACHMENT_S3_BUCKET
        ? {
            bucket: e.ATTACHMENT_S3_BUCKET,
            endpoint: e.ATTACHMENT_S3_ENDPOINT,
            region: e.ATTACHMENT_S3_REGION ?? 'us-east-1',
            prefix: e.ATTACHMENT_S3_PREFIX ?? 'attachments/',
            forcePathStyle: e.ATTACHMENT_S3_FORCE_PATH_STYLE ? ['true', '1'].includes(e.ATTACHMENT_S3_FORCE_PATH_STYLE) : e.ATTACHMENT_S3_ENDPOINT !== undefined,
            credentials: e.ATTACHMENT_S3_ACCESS_KEY_ID ? { accessKeyId: e.ATTACHMENT_S3_ACCESS_KEY_ID, secretAccessKey: e.ATTACHMENT_S3_SECRET_ACCESS_KEY! } : undefined,
          }
        : undefined,
    },
    report: {
      parentBody: e.REPORT_PARENT_BODY,
      body: e.REPORT_ISSUER,
      symbol: e.REPORT_SYMBOL,
      place: e.REPORT_PLACE,
      signerTitle: e.REPORT_SIGNER_TITLE,
      signerName: e.REPORT_SIGNER_NAME,
    },
    notify: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      mailCatcherPort: e.MAIL_CATCHER_PORT,
      digestAt: { hour: Number(e.DIGEST_AT.slice(0, 2)), minute: Number(e.DIGEST_AT.slice(3)) },
      webhookFailureLimit: e.WEBHOOK_FAILURE_LIMIT,
      webhookDisableAfterSeconds: e.WEBHOOK_DISABLE_AFTER_MINUTES * 60,
      webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true' || e.WEBHOOK_ALLOW_PRIVATE_TARGETS === '1',
    },
  };
}

/** What is wrong with the attachment store's settings taken together, if anything. */
function attachmentS3Problem(e: z.infer<typeof schema>): string | undefined {
  if (!e.ATTACHMENT_S3_BUCKET) {
    const stray = (['ATTACHMENT_S3_ENDPOINT', 'ATTACHMENT_S3_REGION', 'ATTACHMENT_S3_PREFIX', 'ATTACHMENT_S3_FORCE_PATH_STYLE', 'ATTACHMENT_S3_ACCESS_KEY_ID', 'ATTACHMENT_S3_SECRET_ACCESS_KEY'] as const).filter(
      (k) => e[k] !== undefined,
    );
    // Settings for a store that is not turned on would be silently ignored: files would go to PostgreSQL.
    if (stray.length) return `${stray.join(', ')} ${stray.length === 1 ? 'needs' : 'need'} ATTACHMENT_S3_BUCKET (which turns S3 storage on)`;
    return undefined;
  }
  if (!e.ATTACHMENT_S3_ACCESS_KEY_ID !== !e.ATTACHMENT_S3_SECRET_ACCESS_KEY) return 'ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY go together';
  return undefined;
}

/**
 * What an error may say in a log: a failed query's parameters (token and password hashes, addresses) and a
 * connection URL's password are cut out of its message and stack.
 */
export function scrubbed(text: string): string {
  return text.replace(/\nparams: [^\n]*/g, '\nparams: [redacted]').replace(/(\/\/[^:/@\s]+):[^@/\s]+@/g, '$1:[redacted]@');
}

/** A serialized error and the errors it wraps, without a failed query's parameters (drizzle keeps them as `params`). */
function scrubError(out: Record<string, unknown>, depth = 0): Record<string, unknown> {
  delete out.params;
  for (const key of ['message', 'stack']) if (typeof out[key] === 'string') out[key] = scrubbed(out[key]);
  if (depth < 5 && out.cause && typeof out.cause === 'object') scrubError(out.cause as Record<string, unknown>, depth + 1);
  return out;
}

const errSerializer = (err: unknown) => scrubError(pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>);

/** A process's logger: one JSON line per entry on stdout, or on `destination` (tests). */
export function createLogger(config: Pick<Config, 'logLevel'>, name: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    serializers: { err: errSerializer },
    // Bearer tokens and cookies must never reach a log line.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.adminToken', '*.secret', '*.smtpUrl', '*.secretAccessKey'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };

/** A request path as logs may keep it: a one-time link's secret (`/invitations/<token>`) is not written down. */
export const loggablePath = (path: string): string => path.replace(/^\/invitations\/[^/]+/, '/invitations/[redacted]');

/** Runs a process entry: a configuration error prints its message, anything else its stack; both exit 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    // The stack, scrubbed as log lines are, and what it was caused by (a failed query's driver error).
    const cause = err instanceof Error && err.cause instanceof Error ? `\ncaused by: ${err.cause.message}` : '';
    process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? scrubbed(`${err.stack ?? err.message}${cause}`) : String(err)}\n`);
    process.exit(1);
  });
}
