import { deleteAuditEventsOlderThan, type Database } from '@switchyard/database';

const DAY_MS = 24 * 60 * 60 * 1000;

export type DeleteExpiredAuditEventsOptions = {
  /** Events created more than this many days before `now` are deleted. */
  retentionDays: number;
  /** Rows per delete statement; each batch commits on its own. */
  batchSize: number;
  /** Reference time for the cut-off; defaults to the current time. */
  now?: Date;
};

/**
 * Deletes every audit event older than the retention period, in batches so a sweep never holds
 * one long transaction. Safe to repeat or to run in two workers at once: batches skip rows another
 * sweep has locked, and a second sweep finds nothing left.
 */
export async function deleteExpiredAuditEvents(
  options: DeleteExpiredAuditEventsOptions,
  deps: { db: Database },
): Promise<{ deleted: number }> {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const deleted = await deleteAuditEventsOlderThan(deps.db, {
    before,
    batchSize: options.batchSize,
  });
  return { deleted };
}
