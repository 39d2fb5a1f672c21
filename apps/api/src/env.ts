import { isIP } from 'node:net';
import { z } from 'zod';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  loadConfigOrExit,
  parseConfig,
  settings,
} from '@switchyard/shared';

/** Prefix of every line this app prints when it must stop (config errors, port in use). */
export const APP_NAME = 'api';

const MIB = 1024 * 1024;

/** Used only outside production when AUTH_SECRET is unset (tests, `tsx src/server.ts`). */
const DEVELOPMENT_AUTH_SECRET = 'development-only-auth-secret-do-not-use-in-production';

/** proxy-addr's named ranges, accepted by Fastify's `trustProxy` besides addresses and CIDRs. */
const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(value: string): boolean {
  if (PROXY_PRESETS.has(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `https://app.example.com` or `http://localhost:3000`: scheme, host and port, nothing else. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const positiveInt = (message: string, fallback: number) =>
  z.coerce.number({ message }).int(message).min(1, message).default(fallback);

export const apiEnvSchema = z
  .object({
    NODE_ENV: settings.nodeEnv(),
    LOG_LEVEL: settings.logLevel(),
    LOG_PRETTY: settings.boolean(false),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: settings.port(4000),
    DATABASE_URL: settings.postgresUrl().default(DEFAULT_DATABASE_URL),
    DATABASE_POOL_MAX: positiveInt('must be a whole number of connections, at least 1', 10),
    REDIS_URL: settings.redisUrl().default(DEFAULT_REDIS_URL),
    PUBLIC_URL: settings.httpUrl().default('http://localhost:3000'),
    CORS_ORIGINS: settings
      .csv()
      .refine(
        (origins) => origins.every(isOrigin),
        'must be a comma-separated list of origins like https://app.example.com (no path, no trailing slash)',
      ),
    BODY_LIMIT_BYTES: positiveInt('must be a whole number of bytes, at least 1', MIB),
    SHUTDOWN_TIMEOUT_MS: positiveInt('must be a whole number of milliseconds, at least 1', 10_000),
    // SECURITY.md 29: X-Forwarded-* is honoured only from these addresses; none by default.
    TRUST_PROXY: settings
      .csv()
      .refine(
        (entries) => entries.every(isProxyAddress),
        'must be a comma-separated list of proxy IP addresses or CIDR ranges like 10.0.0.0/8',
      ),
    DOCS_ENABLED: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .optional()
      .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1')),
    // Where browsers reach the api: the web origin proxies it under this path (Next in development,
    // nginx in production). Swagger UI and the OpenAPI `servers` entry use it.
    API_PUBLIC_PATH: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be a path like /api (or empty for the root)')
      .default('/api'),
    // Identity (packages/auth). AUTH_SECRET encrypts TOTP secrets and signing keys; `npm start`
    // generates one under DATA_DIR on first start.
    AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters: generate one with `openssl rand -base64 48`')
      .optional(),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt('must be a whole number of seconds, at least 1', 600),
    SESSION_IDLE_TIMEOUT_SECONDS: positiveInt(
      'must be a whole number of seconds, at least 1',
      43_200,
    ),
    SESSION_ABSOLUTE_LIFETIME_SECONDS: positiveInt(
      'must be a whole number of seconds, at least 1',
      2_592_000,
    ),
    SMTP_URL: z
      .string()
      .refine(
        (value) => /^smtps?:\/\//.test(value),
        'must be a URL like smtp://user:password@mail.example.com:587',
      )
      .optional(),
    MAIL_FROM: z.string().min(3).default('Switchyard <no-reply@localhost>'),
    DEV_MAILBOX: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .optional()
      .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1')),
    GOOGLE_CLIENT_ID: z.string().optional(),
    GOOGLE_CLIENT_SECRET: z.string().optional(),
    GOOGLE_ISSUER: settings.httpUrl().default('https://accounts.google.com'),
    GITHUB_CLIENT_ID: z.string().optional(),
    GITHUB_CLIENT_SECRET: z.string().optional(),
    GITHUB_OAUTH_BASE_URL: settings.httpUrl().default('https://github.com'),
    GITHUB_API_BASE_URL: settings.httpUrl().default('https://api.github.com'),
    OIDC_ISSUER: settings.httpUrl().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_DISPLAY_NAME: z.string().default('Single sign-on'),
    // Agent runtime: the BullMQ key prefix shared with the workers (their QUEUE_PREFIX) and the
    // wall-clock limit of every run (a run's budget may only lower it).
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w:{}.-]+$/, 'must be letters, digits and _ : { } . - only')
      .default('switchyard'),
    RUN_MAX_DURATION_MS: positiveInt(
      'must be a whole number of milliseconds, at least 1',
      3_600_000,
    ),
    // Requests per minute per signed-in user or API key, counted by each instance (0 = off).
    API_RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ message: 'must be a whole number of requests, 0 to turn the limit off' })
      .int('must be a whole number of requests, 0 to turn the limit off')
      .min(0, 'must be a whole number of requests, 0 to turn the limit off')
      .default(600),
    // Operators: users whose verified e-mail is listed here may use the worker manager
    // (`/v1/admin/*`). Nobody by default.
    PLATFORM_ADMIN_EMAILS: settings
      .csv()
      .refine(
        (emails) => emails.every((email) => z.email().safeParse(email).success),
        'must be a comma-separated list of e-mail addresses like ops@example.com',
      )
      .transform((emails) => emails.map((email) => email.toLowerCase())),
    // SECURITY.md 34: GET /metrics is served only when this is set, to `Authorization: Bearer`.
    METRICS_TOKEN: settings.bearerToken().optional(),
    // Test-only: registers GET /__test/slow so the shutdown test can hold a request in flight.
    API_TEST_SLOW_ROUTE: settings.boolean(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message:
          'is required in production: generate one with `openssl rand -base64 48` (npm start keeps one in DATA_DIR)',
      });
    }
    for (const [id, clientId, clientSecret] of [
      ['GOOGLE', env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET],
      ['GITHUB', env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET],
      ['OIDC', env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET],
    ] as const) {
      if (Boolean(clientId) !== Boolean(clientSecret)) {
        ctx.addIssue({
          code: 'custom',
          path: [clientId ? `${id}_CLIENT_SECRET` : `${id}_CLIENT_ID`],
          message: `is required when ${clientId ? `${id}_CLIENT_ID` : `${id}_CLIENT_SECRET`} is set`,
        });
      }
    }
    if (env.OIDC_CLIENT_ID && !env.OIDC_ISSUER) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message:
          'is required when OIDC_CLIENT_ID is set (the provider URL, e.g. https://idp.example.com)',
      });
    }
    if (env.API_TEST_SLOW_ROUTE && env.NODE_ENV !== 'test') {
      ctx.addIssue({
        code: 'custom',
        path: ['API_TEST_SLOW_ROUTE'],
        message: 'is only allowed when NODE_ENV=test; unset it',
      });
    }
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    host: env.API_HOST,
    port: env.API_PORT,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL,
    publicUrl: env.PUBLIC_URL,
    corsOrigins: env.CORS_ORIGINS.length > 0 ? env.CORS_ORIGINS : [new URL(env.PUBLIC_URL).origin],
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    trustProxy: env.TRUST_PROXY,
    // SECURITY.md 34: API docs are not public in production unless asked for.
    docsEnabled: env.DOCS_ENABLED ?? env.NODE_ENV !== 'production',
    publicPath: env.API_PUBLIC_PATH,
    testSlowRoute: env.API_TEST_SLOW_ROUTE,
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    platformAdminEmails: env.PLATFORM_ADMIN_EMAILS,
    metricsToken: env.METRICS_TOKEN,
    runs: { queuePrefix: env.QUEUE_PREFIX, runMaxDurationMs: env.RUN_MAX_DURATION_MS },
    identity: {
      authSecret: env.AUTH_SECRET ?? DEVELOPMENT_AUTH_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      sessionAbsoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM,
      // The dev mailbox shows every e-mail (reset links included) to anyone who can reach it:
      // only by default when nothing is delivered for real and the site is on this machine.
      devMailbox: env.DEV_MAILBOX ?? (!env.SMTP_URL && isLocalUrl(env.PUBLIC_URL)),
      google: env.GOOGLE_CLIENT_ID
        ? {
            clientId: env.GOOGLE_CLIENT_ID,
            clientSecret: env.GOOGLE_CLIENT_SECRET ?? '',
            issuer: env.GOOGLE_ISSUER,
          }
        : undefined,
      github: env.GITHUB_CLIENT_ID
        ? {
            clientId: env.GITHUB_CLIENT_ID,
            clientSecret: env.GITHUB_CLIENT_SECRET ?? '',
            oauthBaseUrl: env.GITHUB_OAUTH_BASE_URL,
            apiBaseUrl: env.GITHUB_API_BASE_URL,
          }
        : undefined,
      oidc:
        env.OIDC_CLIENT_ID && env.OIDC_ISSUER
          ? {
              issuer: env.OIDC_ISSUER,
              clientId: env.OIDC_CLIENT_ID,
              clientSecret: env.OIDC_CLIENT_SECRET ?? '',
              displayName: env.OIDC_DISPLAY_NAME,
            }
          : undefined,
    },
  }));

function isLocalUrl(value: string): boolean {
  const { hostname } = new URL(value);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

export type ApiConfig = z.infer<typeof apiEnvSchema>;

type Env = Record<string, string | undefined>;

/** Parses the API's settings; throws `ConfigError` listing every bad one. */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  return parseConfig(apiEnvSchema, env);
}

/** For the entry point: on bad settings prints every problem in one message and exits 1. */
export function loadApiConfigOrExit(env: Env = process.env): ApiConfig {
  return loadConfigOrExit(apiEnvSchema, env, APP_NAME);
}
