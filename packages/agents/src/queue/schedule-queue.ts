import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '@switchyard/shared';

/** The BullMQ queue carrying cron-fired `scheduled-run` jobs, one job scheduler per schedule. */
export const SCHEDULES_QUEUE = 'schedules';
export const SCHEDULED_RUN_JOB = 'scheduled-run';

/** What a `scheduled-run` job carries: ids only, Postgres holds the schedule. */
export const scheduledRunJobDataSchema = z.object({ scheduleId: z.uuid(), orgId: z.uuid() });
export type ScheduledRunJobData = z.infer<typeof scheduledRunJobDataSchema>;

/** The BullMQ job scheduler id of a schedule. */
export function scheduleSchedulerId(scheduleId: string): string {
  return `schedule:${scheduleId}`;
}

/** Registers and removes the job schedulers of schedules. Domain code sees only this interface. */
export type ScheduleQueue = {
  /** Creates or replaces the schedule's job scheduler. */
  upsertSchedule(schedule: {
    id: string;
    orgId: string;
    cron: string;
    timezone: string;
  }): Promise<void>;
  /** Removes the schedule's job scheduler; a no-op when there is none. */
  removeSchedule(scheduleId: string): Promise<void>;
  close(): Promise<void>;
};

export function createScheduleQueue(options: {
  connection: ConnectionOptions;
  /** BullMQ key prefix (`QUEUE_PREFIX`). */
  prefix?: string;
  log?: Pick<Logger, 'warn'>;
}): ScheduleQueue & { queue: Queue<ScheduledRunJobData> } {
  const queue = new Queue<ScheduledRunJobData>(SCHEDULES_QUEUE, {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  // Without a listener a connection error would surface as an unhandled rejection.
  queue.on('error', (error) => options.log?.warn({ err: error }, 'schedules queue error'));
  return {
    queue,
    async upsertSchedule(schedule) {
      await queue.upsertJobScheduler(
        scheduleSchedulerId(schedule.id),
        { pattern: schedule.cron, tz: schedule.timezone },
        {
          name: SCHEDULED_RUN_JOB,
          data: { scheduleId: schedule.id, orgId: schedule.orgId },
          opts: {
            attempts: 3,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: { count: 100 },
            removeOnFail: { count: 1_000 },
          },
        },
      );
    },
    async removeSchedule(scheduleId) {
      await queue.removeJobScheduler(scheduleSchedulerId(scheduleId));
    },
    close: () => queue.close(),
  };
}
