import type { Queue } from 'bullmq';
import type { Database } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { isQueueName, type QueueName } from '../queue/queue-names';

/** What the worker-manager services use: the workers' queues and Postgres (runs, audit log). */
export type QueueAdminDeps = {
  db: Database;
  queues: Record<QueueName, Queue>;
};

/** The named queue; 404 for a name that is not one of the workers' queues. */
export function getQueueOrThrow(deps: Pick<QueueAdminDeps, 'queues'>, name: string): Queue {
  if (!isQueueName(name)) {
    throw new AppError('NOT_FOUND', { message: `There is no queue named "${name}".` });
  }
  return deps.queues[name];
}
