import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { placeholderRow, reusableStatementVariants } from '../reusable-statement';
import { usageRecords, type NewUsageRecord, type UsageRecord } from '../schema';

export type { UsageRecord } from '../schema';

export type InsertUsageRecordParams = Pick<
  NewUsageRecord,
  | 'orgId'
  | 'runId'
  | 'stepId'
  | 'attempt'
  | 'provider'
  | 'model'
  | 'inputTokens'
  | 'outputTokens'
  | 'costMicros'
>;

/**
 * Records one model call's usage. A second record of the same `(step_id, attempt)` is ignored
 * and resolves null, so usage is counted once even when the write is repeated.
 */
export async function insertUsageRecord(
  db: DatabaseExecutor,
  params: InsertUsageRecordParams,
): Promise<UsageRecord | null> {
  const row = placeholderRow('', params);
  if (!row) {
    const [record] = await db
      .insert(usageRecords)
      .values(params)
      .onConflictDoNothing({ target: [usageRecords.stepId, usageRecords.attempt] })
      .returning();
    return record ?? null;
  }
  const [record] = await insertUsageRecordStatement(db, row.shape, row.values, row.placeholders);
  return record ?? null;
}

const insertUsageRecordStatement = reusableStatementVariants(
  'insert_usage_record',
  (db, _shape, placeholders: Record<string, unknown>) =>
    db
      .insert(usageRecords)
      .values(placeholders as NewUsageRecord)
      .onConflictDoNothing({ target: [usageRecords.stepId, usageRecords.attempt] })
      .returning(),
);

export async function listRunUsageRecords(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<UsageRecord[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  return db
    .select()
    .from(usageRecords)
    .where(and(eq(usageRecords.orgId, params.orgId), eq(usageRecords.runId, params.runId)))
    .orderBy(asc(usageRecords.createdAt), asc(usageRecords.id));
}

export type UsageTotals = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
};

/** An org's usage in `[from, to)`. */
export async function sumOrgUsage(
  db: DatabaseExecutor,
  params: { orgId: string; from: Date; to: Date },
): Promise<UsageTotals> {
  if (!isUuid(params.orgId)) return { calls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
  const [row] = await db
    .select({
      calls: sql<number>`count(*)::int`,
      inputTokens: sql<number>`coalesce(sum(${usageRecords.inputTokens}), 0)::bigint`,
      outputTokens: sql<number>`coalesce(sum(${usageRecords.outputTokens}), 0)::bigint`,
      costMicros: sql<number>`coalesce(sum(${usageRecords.costMicros}), 0)::bigint`,
    })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.orgId, params.orgId),
        gte(usageRecords.createdAt, params.from),
        lt(usageRecords.createdAt, params.to),
      ),
    );
  return {
    calls: Number(row?.calls ?? 0),
    inputTokens: Number(row?.inputTokens ?? 0),
    outputTokens: Number(row?.outputTokens ?? 0),
    costMicros: Number(row?.costMicros ?? 0),
  };
}
