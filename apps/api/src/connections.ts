import { createDatabase, type DatabaseHandle } from '@switchyard/database';
import { createRedis, type Logger, type Redis } from '@switchyard/shared';
import type { ApiConfig } from './env';

const CONNECTION_NAME = 'switchyard-api';

/** The API's PostgreSQL pool (connects on first use). */
export function openDatabase(config: ApiConfig, log: Logger): DatabaseHandle {
  return createDatabase({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: CONNECTION_NAME,
    log,
  });
}

/**
 * The API's Redis client (connects on first command). While Redis is down ioredis retries in the
 * background and emits an error per attempt. A connection that never came up is reported by
 * whoever needed it (the boot check, /readyz); a lost one is warned about once per outage.
 */
export function openRedis(config: ApiConfig, log: Logger): Redis {
  const redis = createRedis(config.redisUrl, { name: CONNECTION_NAME, lazyConnect: true });
  let connected = false;
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!connected || reported) return;
    reported = true;
    log.warn({ err: error }, 'lost the Redis connection; reconnecting in the background');
  });
  redis.on('ready', () => {
    connected = true;
    reported = false;
  });
  return redis;
}

/** Closes a client from `openRedis`: politely when connected, at once otherwise. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection went away while quitting.
    }
  }
  redis.disconnect();
}
