import { bigint, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { runs } from './runs';

/** One row per model call (the `model_call` step), priced when it was made; feeds billing. */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The run's org, for org-scoped queries; deleted with the run. No key to `organizations`:
    // see "Child rows of a run" in ARCHITECTURE.md.
    orgId: uuid('org_id').notNull(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: uuid('step_id').notNull(),
    attempt: integer('attempt').notNull().default(1),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('usage_records_step_id_attempt_unique').on(table.stepId, table.attempt),
    index('usage_records_org_id_created_at_idx').on(table.orgId, table.createdAt),
    index('usage_records_run_id_idx').on(table.runId),
  ],
);

export type UsageRecord = typeof usageRecords.$inferSelect;
export type NewUsageRecord = typeof usageRecords.$inferInsert;
