import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's schema; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses `env` against `schema`. Empty strings count as unset so that `FOO=` in a `.env` file
 * falls back to the default rather than failing validation.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(root)';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * Loads config for an app entry point. On failure prints one message naming every bad setting
 * and exits non-zero, with no stack trace.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env,
  appName: string,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${appName}: ${error.message}\nSee .env.example for every setting and its default.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
}

/** Reusable setting schemas, each with a message that says how to fix it. */
export const settings = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a port number' })
      .int()
      .min(0, 'must be a port number between 0 and 65535')
      .max(65535, 'must be a port number between 0 and 65535')
      .default(fallback),
  postgresUrl: () =>
    z
      .string()
      .refine(
        (value) => isUrlWithProtocol(value, ['postgres:', 'postgresql:']),
        'must be a URL like postgres://user:password@host:5432/database',
      ),
  redisUrl: () =>
    z
      .string()
      .refine(
        (value) => isUrlWithProtocol(value, ['redis:', 'rediss:']),
        'must be a URL like redis://host:6379',
      ),
  httpUrl: () =>
    z
      .string()
      .refine(
        (value) => isUrlWithProtocol(value, ['http:', 'https:']),
        'must be an http(s) URL like https://switchyard.example.com',
      ),
  csv: () =>
    z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      ),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  /** A bearer token a scraper presents (`METRICS_TOKEN`): long, printable, no spaces. */
  bearerToken: () =>
    z
      .string()
      .min(32, 'must be at least 32 characters: generate one with `openssl rand -hex 32`')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: () => z.enum(['development', 'production', 'test']).default('development'),
};

function isUrlWithProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Stops the process because one setting cannot work (port in use, server unreachable):
 * one line naming the setting and the fix, exit code 1, no stack trace.
 */
export function exitWithSettingError(appName: string, setting: string, message: string): never {
  process.stderr.write(`${appName}: ${setting}: ${message}\n`);
  process.exit(1);
}

/** Where the embedded defaults listen; apps default to these when nothing is configured. */
export const EMBEDDED_POSTGRES = {
  host: '127.0.0.1',
  port: 54329,
  user: 'switchyard',
  password: 'switchyard',
  database: 'switchyard',
} as const;

export const DEFAULT_DATABASE_URL = `postgres://${EMBEDDED_POSTGRES.user}:${EMBEDDED_POSTGRES.password}@${EMBEDDED_POSTGRES.host}:${EMBEDDED_POSTGRES.port}/${EMBEDDED_POSTGRES.database}`;
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
