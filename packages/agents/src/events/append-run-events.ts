import { insertRunEvents, type DatabaseExecutor, type RunEvent } from '@switchyard/database';
import type { PendingRunEvent } from './run-event-types';

/**
 * Numbers and stores events of one run. Call it in the transaction of the state change they
 * describe, after `lockRun`: sequence numbers are then gap-free and follow commit order.
 */
export async function appendRunEvents(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; events: readonly PendingRunEvent[] },
): Promise<RunEvent[]> {
  if (params.events.length === 0) return [];
  const stored = await insertRunEvents(db, {
    orgId: params.orgId,
    runId: params.runId,
    events: params.events.map((event) => ({ type: event.type, data: event.data })),
  });
  if (stored.length === 0) throw new Error(`run ${params.runId} not found while appending events`);
  return stored;
}
