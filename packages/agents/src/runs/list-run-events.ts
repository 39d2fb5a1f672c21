import {
  getRun,
  listRunEvents as queryRunEvents,
  type Database,
  type RunEvent,
} from '@switchyard/database';

/**
 * A run's events after `afterSeq` (0: from the start), in order, up to `limit` (1 000 at most);
 * null when the run is not the org's. An SSE stream resumes with `afterSeq` = `Last-Event-ID`.
 */
export async function listRunEvents(
  params: { orgId: string; runId: string; afterSeq?: number; limit?: number },
  deps: { db: Database },
): Promise<RunEvent[] | null> {
  const run = await getRun(deps.db, params);
  if (!run) return null;
  return queryRunEvents(deps.db, params);
}
