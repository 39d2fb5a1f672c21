import { Queue } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from '@switchyard/agents';
import { createRedis, type Logger, type Redis } from '@switchyard/shared';

/** The workers' queues as the worker manager and `/metrics` read them. */
export type AdminQueues = {
  /** Every queue of the workers, opened on first use. */
  queues(): Record<QueueName, Queue>;
  /** Their Redis connection (no key prefix: the worker registry lives under the queue prefix). */
  redis(): Redis;
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
  let opened: { queues: Record<QueueName, Queue>; connection: Redis } | null = null;
  const open = () => {
    if (opened) return opened;
    const connection = createRedis(options.redisUrl, {
      forBullmq: true,
      name: 'switchyard-api-admin',
    });
    connection.on('error', () => undefined);
    const entries = QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix: options.prefix });
      // Without a listener a connection error would surface as an unhandled rejection.
      queue.on('error', (error) => options.log.warn({ err: error, queue: name }, 'queue error'));
      return [name, queue] as const;
    });
    opened = { queues: Object.fromEntries(entries) as Record<QueueName, Queue>, connection };
    return opened;
  };
  return {
    queues: () => open().queues,
    redis: () => open().connection,
    async close() {
      if (!opened) return;
      const { queues, connection } = opened;
      opened = null;
      await Promise.allSettled(Object.values(queues).map((queue) => queue.close()));
      if (connection.status === 'ready') await connection.quit().catch(() => undefined);
      connection.disconnect();
    },
  };
}
