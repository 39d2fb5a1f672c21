import { jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { runs } from './runs';

/**
 * The result of every side-effecting tool call, by idempotency key: a retried step finds the
 * result here and does not repeat the effect.
 */
export const toolExecutions = pgTable('tool_executions', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  // The run's org, for org-scoped queries; deleted with the run. No key to `organizations`:
  // see "Child rows of a run" in ARCHITECTURE.md.
  orgId: uuid('org_id').notNull(),
  runId: uuid('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' }),
  stepId: uuid('step_id').notNull(),
  tool: text('tool').notNull(),
  result: jsonb('result').$type<unknown>(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export type ToolExecution = typeof toolExecutions.$inferSelect;
export type NewToolExecution = typeof toolExecutions.$inferInsert;
