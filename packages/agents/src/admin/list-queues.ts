import { QUEUE_NAMES } from '../queue/queue-names';
import { describeQueue, type QueueSummary } from './describe-queue';
import type { QueueAdminDeps } from './queue-admin-deps';

/** The workers' queues (steps, schedules, maintenance) with their job counts. */
export async function listQueues(deps: Pick<QueueAdminDeps, 'queues'>): Promise<QueueSummary[]> {
  return Promise.all(QUEUE_NAMES.map((name) => describeQueue(deps.queues[name])));
}
