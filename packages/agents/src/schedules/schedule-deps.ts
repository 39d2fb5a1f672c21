import type { Database } from '@switchyard/database';
import type { ScheduleQueue } from '../queue/schedule-queue';

/** What the schedule services use: Postgres holds schedules, BullMQ fires them. */
export type ScheduleServiceDeps = {
  db: Database;
  schedules: Pick<ScheduleQueue, 'upsertSchedule' | 'removeSchedule'>;
};
