import { Queue } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from '@switchyard/agents';
import { AppError, createRedis, type Logger, type Redis } from '@switchyard/shared';

/** How long a request waits for the queues' Redis connection before answering 503. */
const READY_TIMEOUT_MS = 3_000;

export type OpenAdminQueues = {
  queues: Record<QueueName, Queue>;
  /** Their Redis connection (no key prefix: the worker registry lives under the queue prefix). */
  redis: Redis;
};

/** The workers' queues as the worker manager and `/metrics` read them. */
export type AdminQueues = {
  /**
   * The queues, once their connection is up. Rejects with 503 when Redis does not answer within
   * 3 s: BullMQ's connection queues commands for ever, so a request would otherwise hang, and a
   * pause asked for during an outage would happen whenever Redis came back.
   */
  open(): Promise<OpenAdminQueues>;
  close(): Promise<void>;
};

/**
 * One BullMQ connection (it needs `maxRetriesPerRequest: null`, so not the app's client) and a
 * handle on each of the workers' queues, opened on first use: an api nobody administers or
 * scrapes never connects.
 */
export function createLazyAdminQueues(options: {
  redisUrl: string;
  prefix: string;
  log: Logger;
}): AdminQueues {
  let connection: Redis | null = null;
  let queues: Record<QueueName, Queue> | null = null;
  return {
    async open() {
      if (!connection) {
        connection = createRedis(options.redisUrl, {
          forBullmq: true,
          name: 'switchyard-api-admin',
        });
        connection.on('error', () => undefined);
      }
      const redis = connection;
      await whenReady(redis, READY_TIMEOUT_MS);
      // The queues only once Redis answers: a BullMQ queue created while it is down rejects
      // promises of its own (unhandled) when the connection ends.
      queues ??= Object.fromEntries(
        QUEUE_NAMES.map((name) => {
          const queue = new Queue(name, { connection: redis, prefix: options.prefix });
          // Without a listener a connection error would surface as an unhandled rejection.
          queue.on('error', (error) =>
            options.log.warn({ err: error, queue: name }, 'queue error'),
          );
          return [name, queue] as const;
        }),
      ) as Record<QueueName, Queue>;
      return { queues, redis };
    },
    async close() {
      const [open, redis] = [queues, connection];
      queues = null;
      connection = null;
      if (open) await Promise.allSettled(Object.values(open).map((queue) => queue.close()));
      if (redis?.status === 'ready') await redis.quit().catch(() => undefined);
      redis?.disconnect();
    },
  };
}

async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(
        new AppError('SERVICE_UNAVAILABLE', {
          message: 'Redis is not reachable: the queues cannot be read or changed now.',
        }),
      );
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}
