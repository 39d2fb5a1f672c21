import { randomBytes } from 'node:crypto';
import { createLogger, createRedis, type Logger } from '@switchyard/shared';
import { loadWorkersConfig, type WorkersConfig } from '../env';

/** Redis the integration tests use; keys are isolated by a unique `QUEUE_PREFIX` per test file. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ key prefix no other test run uses. */
export function createTestQueuePrefix(): string {
  return `sy-test-workers-${randomBytes(6).toString('hex')}`;
}

/**
 * Worker settings for a test, parsed by the real schema: the given database and prefix, an
 * ephemeral health port, silent logs; `overrides` are raw environment variables.
 */
export function createTestWorkersConfig(options: {
  databaseUrl: string;
  queuePrefix: string;
  overrides?: Record<string, string>;
}): WorkersConfig {
  return loadWorkersConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_MAX: '3',
    REDIS_URL: TEST_REDIS_URL,
    WORKERS_HEALTH_PORT: '0',
    QUEUE_PREFIX: options.queuePrefix,
    ...options.overrides,
  });
}

export function createSilentLogger(): Logger {
  return createLogger({ name: 'workers-test', level: 'silent' });
}

/** Removes every Redis key under `prefix` (all queues, jobs and schedulers of a test). */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = createRedis(TEST_REDIS_URL, { name: 'switchyard-workers-test-cleanup' });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
