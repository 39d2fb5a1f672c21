import {
  insertRunEvents,
  reserveRunEventSeqs,
  type DatabaseExecutor,
  type RunEvent,
} from '@switchyard/database';
import type { PendingRunEvent } from './run-event-types';

/**
 * Numbers and stores events of one run. Call it in the transaction of the state change they
 * describe: the sequence reservation locks the run row, so sequence numbers are gap-free and
 * follow commit order.
 */
export async function appendRunEvents(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; events: readonly PendingRunEvent[] },
): Promise<RunEvent[]> {
  if (params.events.length === 0) return [];
  const firstSeq = await reserveRunEventSeqs(db, {
    orgId: params.orgId,
    runId: params.runId,
    count: params.events.length,
  });
  if (firstSeq === null) throw new Error(`run ${params.runId} not found while appending events`);
  return insertRunEvents(db, {
    orgId: params.orgId,
    runId: params.runId,
    firstSeq,
    events: params.events.map((event) => ({ type: event.type, data: event.data })),
  });
}
