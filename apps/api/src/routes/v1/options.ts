import type { RunQueue } from '@switchyard/agents';
import type { Database } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import type { ApiConfig } from '../../env';
import type { AdminQueues } from '../../services/create-lazy-admin-queues';
import type { RunEventsHub } from '../../services/create-run-events-hub';

/** What every `/v1` route plugin receives from `buildApp`. */
export type V1RouteOptions = {
  db: Database;
  redis: Redis;
  log: Logger;
  config: ApiConfig;
  /** Enqueues run steps for the workers. */
  runQueue: RunQueue;
  /** Live run events for SSE streams. */
  runEvents: RunEventsHub;
  /** The workers' queues and registry, for the worker manager (`/v1/admin`). */
  adminQueues: AdminQueues;
};
