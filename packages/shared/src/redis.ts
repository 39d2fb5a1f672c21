import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

export type CreateRedisOptions = {
  /** BullMQ connections must not retry commands; it manages retries itself. */
  forBullmq?: boolean;
  /** Connection name shown by `CLIENT LIST`. */
  name?: string;
  /** Don't connect until the first command or `connect()`. */
  lazyConnect?: boolean;
};

export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    lazyConnect: options.lazyConnect ?? false,
    connectionName: options.name,
    enableOfflineQueue: true,
    maxRetriesPerRequest: options.forBullmq ? null : 2,
    connectTimeout: 5_000,
    // Keep retrying in the background, but not in a tight loop.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  return new Redis(url, redisOptions);
}

/** Resolves true when Redis answers PING within `timeoutMs`. Never throws. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = redis.ping().then((reply) => reply === 'PONG');
    return await Promise.race([ping, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
