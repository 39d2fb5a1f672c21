import { z } from 'zod';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  loadConfigOrExit,
  parseConfig,
  settings,
} from '@switchyard/shared';

/** Prefix of every fatal boot message. */
export const WORKERS_APP_NAME = 'switchyard-workers';

function wholeNumber(min: number, max: number, hint?: string) {
  const range = `must be a whole number from ${min} to ${max}${hint ? ` (${hint})` : ''}`;
  return z.coerce.number({ message: range }).int(range).min(min, range).max(max, range);
}

function milliseconds(min: number) {
  const message = `must be a whole number of milliseconds, at least ${min}`;
  return z.coerce.number({ message }).int(message).min(min, message);
}

/** Five cron fields (minute hour day month weekday), optionally preceded by seconds. */
const CRON_FIELDS = /^\S+(\s+\S+){4,5}$/;

export const workersEnvSchema = z
  .object({
    NODE_ENV: settings.nodeEnv(),
    LOG_LEVEL: settings.logLevel(),
    LOG_PRETTY: settings.boolean(false),
    DATABASE_URL: settings.postgresUrl().default(DEFAULT_DATABASE_URL),
    DATABASE_POOL_MAX: z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .default(5),
    REDIS_URL: settings.redisUrl().default(DEFAULT_REDIS_URL),
    WORKERS_HEALTH_HOST: z.string().default('127.0.0.1'),
    WORKERS_HEALTH_PORT: settings.port(4001),
    // SECURITY.md 34: when set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`.
    METRICS_TOKEN: settings.bearerToken().optional(),
    WORKER_CONCURRENCY: z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .default(4),
    AUDIT_RETENTION_DAYS: z.coerce
      .number({ message: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .default(365),
    AUDIT_RETENTION_CRON: z
      .string()
      .trim()
      .regex(CRON_FIELDS, 'must be a cron pattern like "17 3 * * *" (evaluated in UTC)')
      .default('17 3 * * *'),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must be 0 or more milliseconds')
      .default(30_000),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w:{}.-]+$/, 'must be letters, digits and _ : { } . - only')
      .default('switchyard'),
    STEP_CONCURRENCY: wholeNumber(1, 500).default(8),
    ORG_CONCURRENCY_LIMIT: wholeNumber(0, 10_000, '0 means unlimited').default(4),
    STEP_LEASE_MS: milliseconds(1_000).default(30_000),
    STEP_TIMEOUT_MS: milliseconds(1_000).default(10 * 60_000),
    RUN_MAX_DURATION_MS: milliseconds(1_000).default(60 * 60_000),
    REAPER_INTERVAL_MS: milliseconds(1_000).default(15_000),
    DATA_DIR: z.string().min(1).default('.data'),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: settings.httpUrl().optional(),
    ANTHROPIC_API_KEY: z.string().min(1).optional(),
    ANTHROPIC_BASE_URL: settings.httpUrl().optional(),
    OPENAI_COMPATIBLE_BASE_URL: settings.httpUrl().optional(),
    OPENAI_COMPATIBLE_API_KEY: z.string().min(1).optional(),
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL,
    healthHost: env.WORKERS_HEALTH_HOST,
    healthPort: env.WORKERS_HEALTH_PORT,
    metricsToken: env.METRICS_TOKEN,
    concurrency: env.WORKER_CONCURRENCY,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    auditRetentionCron: env.AUDIT_RETENTION_CRON,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    queuePrefix: env.QUEUE_PREFIX,
    stepConcurrency: env.STEP_CONCURRENCY,
    orgConcurrencyLimit: env.ORG_CONCURRENCY_LIMIT,
    stepLeaseMs: env.STEP_LEASE_MS,
    stepTimeoutMs: env.STEP_TIMEOUT_MS,
    runMaxDurationMs: env.RUN_MAX_DURATION_MS,
    reaperIntervalMs: env.REAPER_INTERVAL_MS,
    dataDir: env.DATA_DIR,
    providers: {
      ...(env.OPENAI_API_KEY
        ? { openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL } }
        : {}),
      ...(env.ANTHROPIC_API_KEY
        ? { anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL } }
        : {}),
      ...(env.OPENAI_COMPATIBLE_BASE_URL
        ? {
            openaiCompatible: {
              baseUrl: env.OPENAI_COMPATIBLE_BASE_URL,
              apiKey: env.OPENAI_COMPATIBLE_API_KEY,
            },
          }
        : {}),
    },
  }));

export type WorkersConfig = z.infer<typeof workersEnvSchema>;

/** Parses the worker settings; throws a `ConfigError` listing every bad setting. */
export function loadWorkersConfig(
  env: Record<string, string | undefined> = process.env,
): WorkersConfig {
  return parseConfig(workersEnvSchema, env);
}

/** For the process entry point: prints every bad setting and exits 1 instead of throwing. */
export function loadWorkersConfigOrExit(): WorkersConfig {
  return loadConfigOrExit(workersEnvSchema, process.env, WORKERS_APP_NAME);
}
