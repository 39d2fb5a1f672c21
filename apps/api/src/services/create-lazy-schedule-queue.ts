import { createScheduleQueue, type ScheduleQueue } from '@switchyard/agents';
import { createRedis, type Logger } from '@switchyard/shared';

/**
 * The api's handle on the workers' `schedules` queue, where each schedule has a BullMQ job
 * scheduler. Its Redis connection opens on first use (BullMQ needs `maxRetriesPerRequest: null`,
 * so it is not the app's client); `close` ends it.
 */
export function createLazyScheduleQueue(options: {
  redisUrl: string;
  prefix: string;
  log: Logger;
}): ScheduleQueue {
  let opened: { queue: ScheduleQueue; connection: ReturnType<typeof createRedis> } | null = null;
  const open = (): ScheduleQueue => {
    if (opened) return opened.queue;
    const connection = createRedis(options.redisUrl, {
      forBullmq: true,
      name: 'switchyard-api-schedules',
    });
    connection.on('error', () => undefined);
    const queue = createScheduleQueue({ connection, prefix: options.prefix, log: options.log });
    opened = { queue, connection };
    return queue;
  };
  return {
    upsertSchedule: (schedule) => open().upsertSchedule(schedule),
    removeSchedule: (scheduleId) => open().removeSchedule(scheduleId),
    async close() {
      if (!opened) return;
      const { queue, connection } = opened;
      opened = null;
      await queue.close().catch((error: unknown) => {
        options.log.warn({ err: error }, 'closing the schedules queue failed');
      });
      if (connection.status === 'ready') await connection.quit().catch(() => undefined);
      connection.disconnect();
    },
  };
}
