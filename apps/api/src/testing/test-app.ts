import { Writable } from 'node:stream';
import { createLogger, parseConfig, type Logger } from '@switchyard/shared';
import { apiEnvSchema, type ApiConfig } from '../env';

/** Unreachable on purpose: tests that need a server pass its URL explicitly. */
export const UNREACHABLE_DATABASE_URL = 'postgres://switchyard@127.0.0.1:1/unreachable';
export const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:1';
export const LOCAL_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** API config for tests: the given settings over test defaults that need no running server. */
export function createTestConfig(env: Record<string, string> = {}): ApiConfig {
  return parseConfig(apiEnvSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: UNREACHABLE_DATABASE_URL,
    REDIS_URL: UNREACHABLE_REDIS_URL,
    ...env,
  });
}

export type CapturedLogs = {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines: () => Array<Record<string, unknown>>;
};

/** A real pino logger (redaction included) whose lines are kept in memory. */
export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ name: 'api', level: 'debug', destination });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
