import {
  lockRun,
  type Database,
  type Run,
  type RunEvent,
  type Transaction,
} from '@switchyard/database';
import { AppError, type Logger, type Redis } from '@switchyard/shared';
import { appendRunEvents } from './append-run-events';
import { publishRunEvents } from './publish-run-events';
import type { PendingRunEvent, RunEventType } from './run-event-types';

export type RunChangeContext = {
  tx: Transaction;
  /** The run as locked at the start of the transaction. */
  run: Run;
  /** Queues an event; it is stored with the change and published once the change commits. */
  emit: (type: RunEventType, data?: Record<string, unknown>) => void;
};

export type RunChangeDeps = { db: Database; redis: Redis; log: Pick<Logger, 'warn'> };

/**
 * Runs `change` in a transaction holding the run's row lock, stores the events it emitted in
 * that same transaction, then publishes them. Throws NOT_FOUND when the run is not in the org.
 */
export async function recordRunChange<T>(
  deps: RunChangeDeps,
  key: { orgId: string; runId: string },
  change: (context: RunChangeContext) => Promise<T>,
): Promise<{ value: T; events: RunEvent[] }> {
  const { value, events } = await deps.db.transaction(async (tx) => {
    const run = await lockRun(tx, key);
    if (!run) throw new AppError('NOT_FOUND', { message: 'Run not found.' });
    const pending: PendingRunEvent[] = [];
    const result = await change({
      tx,
      run,
      emit: (type, data = {}) => pending.push({ type, data }),
    });
    const stored = await appendRunEvents(tx, { ...key, events: pending });
    return { value: result, events: stored };
  });
  await publishRunEvents(deps.redis, events, deps.log);
  return { value, events };
}
