import {
  lockRun,
  runTransaction,
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
 *
 * `ahead` is a statement sent right behind the lock, in the same write, before the run is known
 * (such as the claim of a step); `change` receives its promise. It runs in the transaction, so
 * whatever `change` decides from the run, an unwanted effect of it is rolled back by throwing.
 */
export async function recordRunChange<T, A = undefined>(
  deps: RunChangeDeps,
  key: { orgId: string; runId: string },
  change: (context: RunChangeContext & { ahead: Promise<A> | undefined }) => Promise<T>,
  ahead?: (tx: Transaction) => Promise<A>,
): Promise<{ value: T; events: RunEvent[] }> {
  const pending: PendingRunEvent[] = [];
  const { value, finished } = await runTransaction(
    deps.db,
    async (tx) => {
      const locking = lockRun(tx, key);
      const early = ahead?.(tx);
      // Settled below, whatever the lock gives; never an unhandled rejection meanwhile.
      early?.catch(() => undefined);
      const run = await locking;
      if (!run) throw new AppError('NOT_FOUND', { message: 'Run not found.' });
      return change({
        tx,
        run,
        ahead: early,
        emit: (type, data = {}) => pending.push({ type, data }),
      });
    },
    // Stored in the same transaction, written together with its COMMIT.
    (tx) => appendRunEvents(tx, { ...key, events: pending }),
  );
  const events = finished ?? [];
  await publishRunEvents(deps.redis, events, deps.log);
  return { value, events };
}
