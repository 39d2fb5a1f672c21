import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents';
import type { RunBudget, RunError } from './run-types';
import { timestamptz } from './columns';
import { organizations } from './organizations';
import { schedules } from './schedules';
import { teams, type TeamMember, type TeamStrategy } from './teams';
import { users } from './users';

export const RUN_STATUSES = [
  'queued',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses a run never leaves (except `failed`, through an explicit retry). */
export const TERMINAL_RUN_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;

export type { RunBudget, RunError } from './run-types';

export const RUN_TARGET_KINDS = ['agent', 'team'] as const;
export type RunTargetKind = (typeof RUN_TARGET_KINDS)[number];

export const runStatus = pgEnum('run_status', RUN_STATUSES);
export const runTargetKind = pgEnum('run_target_kind', RUN_TARGET_KINDS);

/** The team as it was when the run was created: a team edit never changes a run in flight. */
export type TeamSnapshot = {
  name: string;
  strategy: TeamStrategy;
  planner: TeamMember | null;
  members: TeamMember[];
  /** Absent in snapshots taken before plan approval existed (read as false). */
  requirePlanApproval?: boolean;
};

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    targetKind: runTargetKind('target_kind').notNull(),
    agentId: uuid('agent_id').references(() => agents.id),
    agentVersion: integer('agent_version'),
    teamId: uuid('team_id').references(() => teams.id),
    teamSnapshot: jsonb('team_snapshot').$type<TeamSnapshot>(),
    /** The task, in the words of whoever started the run. */
    input: text('input').notNull(),
    status: runStatus('status').notNull().default('queued'),
    /** BullMQ priority of the run's steps: 1 is the most urgent. */
    priority: integer('priority').notNull().default(5),
    budget: jsonb('budget').$type<RunBudget>().notNull().default({}),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    /** Model calls made so far (what `budget.maxSteps` limits). */
    stepCount: integer('steps').notNull().default(0),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<RunError>(),
    /** Why the run ended early, for example `budget_exceeded`, `cancelled`, `approval_rejected`. */
    stopReason: text('stop_reason'),
    scheduleId: uuid('schedule_id').references(() => schedules.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    /** Wall-clock limit; past it the run stops with `budget_exceeded`. */
    deadlineAt: timestamptz('deadline_at'),
    heartbeatAt: timestamptz('heartbeat_at'),
    /** Sequence number of the run's next event; incremented in the transaction that appends. */
    nextEventSeq: integer('next_event_seq').notNull().default(1),
  },
  (table) => [
    index('runs_org_id_created_at_idx').on(
      table.orgId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index('runs_org_id_agent_id_idx').on(table.orgId, table.agentId),
    index('runs_org_id_team_id_idx').on(table.orgId, table.teamId),
    // The reaper's scan: live runs only, a small fraction of the table.
    index('runs_live_deadline_at_idx')
      .on(table.deadlineAt)
      .where(sql`${table.status} in ('queued', 'running')`),
  ],
);

export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
