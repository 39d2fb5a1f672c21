import { and, desc, eq, inArray, lt, notExists, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { reusableStatement, reusableUpdate } from '../reusable-statement';
import { runs, steps, type NewRun, type Run, type RunStatus } from '../schema';
import { clampPageSize, olderThan, type PageCursor } from './pagination';
import { filterOnly } from './filter-only';

export type { Run, RunBudget, RunError, RunStatus, TeamSnapshot } from '../schema';

export type InsertRunParams = Pick<
  NewRun,
  | 'orgId'
  | 'createdByUserId'
  | 'targetKind'
  | 'agentId'
  | 'agentVersion'
  | 'teamId'
  | 'teamSnapshot'
  | 'input'
  | 'priority'
  | 'budget'
  | 'scheduleId'
  | 'deadlineAt'
> & { id?: string };

/** A new `queued` run (`createRun` inserts its runs with their steps: `insertRunWithSteps`). */
export async function insertRun(db: DatabaseExecutor, params: InsertRunParams): Promise<Run> {
  const [run] = await db
    .insert(runs)
    .values({ ...params, status: 'queued' })
    .returning();
  if (!run) throw new Error('insert into runs returned no row');
  return run;
}

export async function getRun(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<Run | null> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return null;
  const [run] = await getRunStatement(db, params);
  return run ?? null;
}

const getRunStatement = reusableStatement('get_run', (db) =>
  db.select().from(runs).where(runKeyPlaceholders()).limit(1),
);

/**
 * Reads the run and locks its row until the transaction ends. Every change of a run's state
 * (its steps, its events) takes this lock first, so concurrent workers of one run are serialised:
 * two parents finishing at once both see each other when deciding whether a child is ready.
 */
export async function lockRun(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<Run | null> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return null;
  const [run] = await lockRunStatement(db, params);
  return run ?? null;
}

const lockRunStatement = reusableStatement('lock_run', (db) =>
  db.select().from(runs).where(runKeyPlaceholders()).limit(1).for('update'),
);

export type ListRunsParams = {
  orgId: string;
  status?: RunStatus;
  agentId?: string;
  teamId?: string;
  limit?: number;
  /** The last run of the previous page. */
  before?: PageCursor;
};

/** The org's runs, newest first, optionally filtered by status, agent or team. */
export async function listRuns(db: DatabaseExecutor, params: ListRunsParams): Promise<Run[]> {
  if (!isUuid(params.orgId)) return [];
  if (params.agentId !== undefined && !isUuid(params.agentId)) return [];
  if (params.teamId !== undefined && !isUuid(params.teamId)) return [];
  const conditions = [eq(runs.orgId, params.orgId)];
  if (params.status) conditions.push(eq(runs.status, params.status));
  if (params.agentId) conditions.push(eq(runs.agentId, params.agentId));
  if (params.teamId) conditions.push(eq(runs.teamId, params.teamId));
  if (params.before) conditions.push(olderThan(runs.createdAt, runs.id, params.before));
  return db
    .select()
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(clampPageSize(params.limit));
}

export type RunUpdate = Partial<
  Pick<
    NewRun,
    | 'status'
    | 'result'
    | 'error'
    | 'stopReason'
    | 'startedAt'
    | 'finishedAt'
    | 'deadlineAt'
    | 'heartbeatAt'
    | 'budget'
  >
>;

/**
 * Updates a run of the org, only while its status is one of `statuses` when given (a conditional
 * transition); resolves null when no row matched.
 */
export async function updateRun(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; statuses?: readonly RunStatus[]; values: RunUpdate },
): Promise<Run | null> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return null;
  const key = { orgId: params.orgId, runId: params.runId };
  const reused = updateRunStatement(
    db,
    params.values,
    params.statuses ? { ...key, statuses: params.statuses } : key,
    params.statuses ? 'statuses' : '',
  );
  if (reused) return (await reused)[0] ?? null;
  const conditions = [runKey(params)];
  if (params.statuses) conditions.push(inArray(runs.status, [...params.statuses]));
  const [run] = await db
    .update(runs)
    .set(params.values)
    .where(and(...conditions))
    .returning();
  return run ?? null;
}

const updateRunStatement = reusableUpdate<RunUpdate, Run[]>(
  'update_run',
  runs,
  (db, set, variant) =>
    db
      .update(runs)
      .set(set)
      .where(
        variant === 'statuses'
          ? and(runKeyPlaceholders(), sql`${runs.status} = any(${sql.placeholder('statuses')})`)
          : runKeyPlaceholders(),
      )
      .returning(),
);

/**
 * Adds one model call's usage to the run's totals, and `modelCalls` (0 by default) to its count
 * of model calls when the call was not counted beforehand (`incrementRunSteps`).
 */
export async function addRunUsage(
  db: DatabaseExecutor,
  params: {
    orgId: string;
    runId: string;
    inputTokens: number;
    outputTokens: number;
    costMicros: number;
    modelCalls?: number;
  },
): Promise<Run | null> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return null;
  const [run] = await addRunUsageStatement(db, {
    orgId: params.orgId,
    runId: params.runId,
    inputTokens: params.inputTokens,
    outputTokens: params.outputTokens,
    costMicros: params.costMicros,
    modelCalls: params.modelCalls ?? 0,
    heartbeatAt: new Date().toISOString(),
  });
  return run ?? null;
}

const addRunUsageStatement = reusableStatement('add_run_usage', (db) =>
  db
    .update(runs)
    .set({
      inputTokens: sql`${runs.inputTokens} + ${sql.placeholder('inputTokens')}::integer`,
      outputTokens: sql`${runs.outputTokens} + ${sql.placeholder('outputTokens')}::integer`,
      costMicros: sql`${runs.costMicros} + ${sql.placeholder('costMicros')}::bigint`,
      stepCount: sql`${runs.stepCount} + ${sql.placeholder('modelCalls')}::integer`,
      heartbeatAt: sql`${sql.placeholder('heartbeatAt')}::timestamptz`,
    })
    .where(runKeyPlaceholders())
    .returning(),
);

/** Counts one more model call of the run (the `steps` total that `budget.maxSteps` limits). */
export async function incrementRunSteps(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<Run | null> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return null;
  const [run] = await db
    .update(runs)
    .set({ stepCount: sql`${runs.stepCount} + 1` })
    .where(runKey(params))
    .returning();
  return run ?? null;
}

export async function touchRunHeartbeat(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<void> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return;
  await db.update(runs).set({ heartbeatAt: new Date() }).where(runKey(params));
}

/** System scan, across orgs: live runs past their wall-clock deadline. */
export async function listOverdueRuns(
  db: DatabaseExecutor,
  params: { now: Date; limit: number },
): Promise<Pick<Run, 'id' | 'orgId'>[]> {
  return db
    .select({ id: runs.id, orgId: runs.orgId })
    .from(runs)
    .where(and(inArray(runs.status, ['queued', 'running']), lt(runs.deadlineAt, params.now)))
    .limit(params.limit);
}

/**
 * System scan, across orgs: live runs created before `before` with no step left that could make
 * progress (none pending, queued, running or waiting for approval), which no worker will finish.
 */
export async function listRunsWithoutLiveSteps(
  db: DatabaseExecutor,
  params: { before: Date; limit: number },
): Promise<Pick<Run, 'id' | 'orgId'>[]> {
  return db
    .select({ id: runs.id, orgId: runs.orgId })
    .from(runs)
    .where(
      and(
        inArray(runs.status, ['queued', 'running']),
        lt(runs.createdAt, params.before),
        notExists(
          db
            .select({ one: sql`1` })
            .from(steps)
            .where(
              and(
                eq(steps.runId, runs.id),
                inArray(steps.status, ['pending', 'queued', 'running', 'waiting_for_approval']),
              ),
            ),
        ),
      ),
    )
    .limit(params.limit);
}

/** The run by primary key, in the org (see `filterOnly`). */
function runKey(params: { orgId: string; runId: string }) {
  return and(eq(runs.id, params.runId), filterOnly(eq(runs.orgId, params.orgId)));
}

/** `runKey` for a reusable statement: values `orgId` and `runId`. */
function runKeyPlaceholders() {
  return and(
    eq(runs.id, sql.placeholder('runId')),
    filterOnly(eq(runs.orgId, sql.placeholder('orgId'))),
  );
}
