import { and, asc, eq, gt } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { sessionClient } from '../reusable-statement';
import { runEvents, type RunEvent } from '../schema';

export type { RunEvent } from '../schema';

export const MAX_RUN_EVENTS_PAGE = 1_000;

/** A `run_events` row as a raw statement returns it (`returning run_id, seq, ...`). */
export type InsertedEventRow = {
  run_id: string;
  seq: number;
  org_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: Date | string;
};

/** Raw event rows as `RunEvent`s, in sequence order. */
export function toRunEvents(rows: readonly InsertedEventRow[]): RunEvent[] {
  return rows
    .map((row) => ({
      runId: row.run_id,
      seq: row.seq,
      orgId: row.org_id,
      type: row.type,
      data: row.data,
      createdAt: new Date(row.created_at),
    }))
    .sort((a, b) => a.seq - b.seq);
}

/**
 * Numbers the run's next events (reserving them on the run's `next_event_seq`) and inserts them,
 * in the given order, in one statement: one round trip per state change instead of two. Call it
 * in the transaction that locked the run (`lockRun`), so sequence numbers are gap-free and follow
 * commit order. Resolves [] when the run is not in the org.
 */
export async function insertRunEvents(
  db: DatabaseExecutor,
  params: {
    orgId: string;
    runId: string;
    events: { type: string; data: Record<string, unknown> }[];
  },
): Promise<RunEvent[]> {
  const count = params.events.length;
  if (count === 0 || !isUuid(params.orgId) || !isUuid(params.runId)) return [];
  // A named statement of fixed text: parsed once per connection, and not rebuilt by drizzle.
  const result = await sessionClient(db).query({
    name: 'insert_run_events',
    text: INSERT_RUN_EVENTS,
    values: [count, params.orgId, params.runId, JSON.stringify(params.events)],
  });
  return toRunEvents(result.rows as InsertedEventRow[]);
}

const INSERT_RUN_EVENTS = `
  with reserved as (
    update runs set next_event_seq = next_event_seq + $1::integer
    where id = $3::uuid and (org_id = $2::uuid) is true
    returning next_event_seq - $1::integer as first_seq
  )
  insert into run_events (run_id, org_id, seq, type, data)
  select $3::uuid, $2::uuid,
    reserved.first_seq + event.ordinality::integer - 1, event.value->>'type', event.value->'data'
  from reserved
  cross join jsonb_array_elements($4::jsonb) with ordinality as event
  returning run_id, seq, org_id, type, data, created_at`;

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
