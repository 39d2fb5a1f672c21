import { STEPS_QUEUE } from './run-queue';
import { SCHEDULES_QUEUE } from './schedule-queue';

/** The workers' housekeeping queue (audit retention sweep, stalled-step reaper). */
export const MAINTENANCE_QUEUE = 'maintenance';

/** Every BullMQ queue the workers consume: what the worker manager and `/metrics` report. */
export const QUEUE_NAMES = [STEPS_QUEUE, SCHEDULES_QUEUE, MAINTENANCE_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
