import { createRunQueue, type RunQueue } from '@switchyard/agents';
import { createRedis, type Logger } from '@switchyard/shared';

/**
 * The api's handle on the workers' `steps` queue. Its Redis connection (BullMQ needs
 * `maxRetriesPerRequest: null`, so it is not the app's client) opens on the first enqueue, so an
 * api that never creates a run never connects; `close` ends it.
 */
export function createLazyRunQueue(options: {
  redisUrl: string;
  prefix: string;
  log: Logger;
}): RunQueue {
  let opened: { queue: RunQueue; connection: ReturnType<typeof createRedis> } | null = null;
  const open = (): RunQueue => {
    if (opened) return opened.queue;
    const connection = createRedis(options.redisUrl, {
      forBullmq: true,
      name: 'switchyard-api-queue',
    });
    connection.on('error', () => undefined);
    const queue = createRunQueue({ connection, prefix: options.prefix, log: options.log });
    opened = { queue, connection };
    return queue;
  };
  return {
    enqueueStep: (step, enqueue) => open().enqueueStep(step, enqueue),
    removeStepJob: (stepId) => open().removeStepJob(stepId),
    getStepJobState: (stepId) => open().getStepJobState(stepId),
    async close() {
      if (!opened) return;
      const { queue, connection } = opened;
      opened = null;
      await queue.close().catch((error: unknown) => {
        options.log.warn({ err: error }, 'closing the steps queue failed');
      });
      if (connection.status === 'ready') await connection.quit().catch(() => undefined);
      connection.disconnect();
    },
  };
}
