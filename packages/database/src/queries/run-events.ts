import { and, asc, eq, gt } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { runEvents, type RunEvent } from '../schema';

export type { RunEvent } from '../schema';

export const MAX_RUN_EVENTS_PAGE = 1_000;

/**
 * Inserts events numbered from `firstSeq` (reserved with `reserveRunEventSeqs` in the same
 * transaction), in the given order.
 */
export async function insertRunEvents(
  db: DatabaseExecutor,
  params: {
    orgId: string;
    runId: string;
    firstSeq: number;
    events: { type: string; data: Record<string, unknown> }[];
  },
): Promise<RunEvent[]> {
  if (params.events.length === 0) return [];
  return db
    .insert(runEvents)
    .values(
      params.events.map((event, index) => ({
        runId: params.runId,
        orgId: params.orgId,
        seq: params.firstSeq + index,
        type: event.type,
        data: event.data,
      })),
    )
    .returning();
}

/** A run's events after `afterSeq` (0 for all), in order. */
export async function listRunEvents(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; afterSeq?: number; limit?: number },
): Promise<RunEvent[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? 500), 1), MAX_RUN_EVENTS_PAGE);
  return db
    .select()
    .from(runEvents)
    .where(
      and(
        eq(runEvents.orgId, params.orgId),
        eq(runEvents.runId, params.runId),
        gt(runEvents.seq, Math.max(Math.trunc(params.afterSeq ?? 0), 0)),
      ),
    )
    .orderBy(asc(runEvents.seq))
    .limit(limit);
}
