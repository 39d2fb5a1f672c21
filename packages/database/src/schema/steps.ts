import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { agents } from './agents';
import { timestamps, timestamptz } from './columns';
import { runs, type RunError } from './runs';

export const STEP_KINDS = [
  'plan',
  'agent_turn',
  'model_call',
  'tool_call',
  'approval',
  'synthesis',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_STATUSES = [
  'pending',
  'queued',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const stepKind = pgEnum('step_kind', STEP_KINDS);
export const stepStatus = pgEnum('step_status', STEP_STATUSES);

export type StepUsage = { inputTokens: number; outputTokens: number; costMicros: number };

/**
 * A node of a run's tree. `plan`, `agent_turn` and `synthesis` steps are executed by workers
 * (BullMQ job id = step id); `model_call`, `tool_call` and `approval` steps are their children,
 * recorded as the parent works. `depends_on` makes the executable steps a DAG.
 */
export const steps = pgTable(
  'steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    // The run's org, for org-scoped queries; deleted with the run. No key to `organizations`:
    // see "Child rows of a run" in ARCHITECTURE.md.
    orgId: uuid('org_id').notNull(),
    parentStepId: uuid('parent_step_id').references((): AnyPgColumn => steps.id, {
      onDelete: 'cascade',
    }),
    kind: stepKind('kind').notNull(),
    status: stepStatus('status').notNull().default('pending'),
    /** Order of creation within the run (steps created in one transaction share `created_at`). */
    position: integer('position').notNull().default(0),
    dependsOn: uuid('depends_on').array().notNull().default([]),
    agentId: uuid('agent_id').references(() => agents.id),
    agentVersion: integer('agent_version'),
    input: jsonb('input').$type<Record<string, unknown>>().notNull().default({}),
    output: jsonb('output').$type<Record<string, unknown>>(),
    /** The work done so far (for an agent turn, the conversation); a retry resumes from it. */
    checkpoint: jsonb('checkpoint').$type<Record<string, unknown>>(),
    usage: jsonb('usage').$type<StepUsage>(),
    /**
     * Executions that did not finish: a crash, a timeout or a transient error each count one; parking
     * for approval or waiting out a rate limit does not.
     */
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    error: jsonb('error').$type<RunError>(),
    idempotencyKey: text('idempotency_key'),
    /** The worker holding the claim. */
    claimedBy: text('claimed_by'),
    /** Fences writes: only the holder of the current claim can checkpoint or finish the step. */
    claimToken: uuid('claim_token'),
    claimedAt: timestamptz('claimed_at'),
    /** Extended by the holder's heartbeat; past it the step counts as stalled. */
    leaseExpiresAt: timestamptz('lease_expires_at'),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    ...timestamps(),
  },
  (table) => [
    index('steps_run_id_idx').on(table.runId, table.createdAt, table.position),
    // Only child records of side-effecting work carry a key: without the predicate, every version
    // of every other step row would add a null entry to this index.
    uniqueIndex('steps_idempotency_key_unique')
      .on(table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    index('steps_running_lease_idx')
      .on(table.leaseExpiresAt)
      .where(sql`${table.status} = 'running'`),
    index('steps_queued_updated_at_idx')
      .on(table.updatedAt)
      .where(sql`${table.status} = 'queued'`),
  ],
);

export type Step = typeof steps.$inferSelect;
export type NewStep = typeof steps.$inferInsert;
