import { and, asc, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid } from '@switchyard/shared';
import { createBatcher } from '../batcher';
import { runPipelinedStatements, type Database, type DatabaseExecutor } from '../client';
import { toRunEvents, type InsertedEventRow } from './run-events';
import { filterOnly } from './filter-only';
import { fromJsonRow } from './json-row';
import {
  placeholderRow,
  reusableStatement,
  reusableStatementVariants,
  reusableUpdate,
  sessionClient,
} from '../reusable-statement';
import {
  runs,
  steps,
  type NewStep,
  type Run,
  type RunEvent,
  type Step,
  type StepStatus,
  type StepUsage,
} from '../schema';

export type { Step, StepKind, StepStatus, StepUsage } from '../schema';

export type InsertStepParams = Pick<
  NewStep,
  | 'runId'
  | 'orgId'
  | 'kind'
  | 'parentStepId'
  | 'status'
  | 'position'
  | 'dependsOn'
  | 'agentId'
  | 'agentVersion'
  | 'input'
  | 'output'
  | 'usage'
  | 'attempt'
  | 'maxAttempts'
  | 'error'
  | 'idempotencyKey'
  | 'startedAt'
  | 'finishedAt'
> & { id?: string };

/** Inserts steps in one statement, in the given order. */
export async function insertSteps(
  db: DatabaseExecutor,
  params: { steps: InsertStepParams[] },
): Promise<Step[]> {
  if (params.steps.length === 0) return [];
  // Reused for the few rows the engine inserts per step (a model or tool call, a hand-off); a
  // plan's many subtasks are built anew.
  const rows =
    params.steps.length <= MAX_REUSED_INSERT_ROWS
      ? params.steps.map((step, index) => placeholderRow(`r${index}_`, step))
      : [undefined];
  if (rows.some((row) => row === undefined)) {
    return db.insert(steps).values(params.steps).returning();
  }
  const shaped = rows as NonNullable<(typeof rows)[number]>[];
  const variant = shaped.map((row) => row.shape).join(';');
  const values = Object.assign({}, ...shaped.map((row) => row.values)) as Record<string, unknown>;
  return insertStepsStatement(
    db,
    variant,
    values,
    shaped.map((row) => row.placeholders),
  );
}

const MAX_REUSED_INSERT_ROWS = 8;

const insertStepsStatement = reusableStatementVariants(
  'insert_steps',
  (db, _variant, rows: Record<string, unknown>[]) =>
    db
      .insert(steps)
      .values(rows as NewStep[])
      .returning(),
);

/**
 * Inserts a child record (model call, tool call, approval) unless one with the same idempotency
 * key exists; resolves the stored row either way.
 */
export async function insertStepOnce(
  db: DatabaseExecutor,
  params: { step: InsertStepParams & { idempotencyKey: string } },
): Promise<Step> {
  const [inserted] = await db
    .insert(steps)
    .values(params.step)
    .onConflictDoNothing({
      target: steps.idempotencyKey,
      // The unique index is partial: ON CONFLICT names its predicate to use it.
      where: sql`${steps.idempotencyKey} is not null`,
    })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(steps)
    .where(
      and(eq(steps.orgId, params.step.orgId), eq(steps.idempotencyKey, params.step.idempotencyKey)),
    )
    .limit(1);
  if (!existing) throw new Error('idempotency key conflict with a step of another org');
  return existing;
}

export async function getStep(
  db: DatabaseExecutor,
  params: { orgId: string; stepId: string },
): Promise<Step | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId)) return null;
  const [step] = await getStepStatement(db, { orgId: params.orgId, stepId: params.stepId });
  return step ?? null;
}

const getStepStatement = reusableStatement('get_step', (db) =>
  db.select().from(steps).where(stepKeyPlaceholders()).limit(1),
);

export async function getStepByIdempotencyKey(
  db: DatabaseExecutor,
  params: { orgId: string; idempotencyKey: string },
): Promise<Step | null> {
  if (!isUuid(params.orgId)) return null;
  const [step] = await db
    .select()
    .from(steps)
    .where(and(eq(steps.orgId, params.orgId), eq(steps.idempotencyKey, params.idempotencyKey)))
    .limit(1);
  return step ?? null;
}

/** Every step of a run of the org, in creation order. */
export async function listRunSteps(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; statuses?: readonly StepStatus[] },
): Promise<Step[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  const key = { orgId: params.orgId, runId: params.runId };
  return params.statuses
    ? listRunStepsInStatuses(db, { ...key, statuses: params.statuses })
    : listAllRunSteps(db, key);
}

function runStepsQuery(db: DatabaseExecutor, withStatuses: boolean) {
  return db
    .select()
    .from(steps)
    .where(
      withStatuses
        ? and(runStepsPlaceholders(), sql`${steps.status} = any(${sql.placeholder('statuses')})`)
        : runStepsPlaceholders(),
    )
    .orderBy(asc(steps.createdAt), asc(steps.position), asc(steps.id));
}

const listAllRunSteps = reusableStatement('list_run_steps', (db) => runStepsQuery(db, false));

/**
 * The succeeded steps among `stepIds` of a run of the org (what a step builds on), in creation
 * order. Reads only those rows, not the run's other steps (model calls carry whole conversations).
 */
export async function listSucceededStepsById(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; stepIds: readonly string[] },
): Promise<Step[]> {
  const stepIds = params.stepIds.filter(isUuid);
  if (!isUuid(params.orgId) || !isUuid(params.runId) || stepIds.length === 0) return [];
  return listSucceededStepsByIdStatement(db, {
    orgId: params.orgId,
    runId: params.runId,
    stepIds,
  });
}

const listSucceededStepsByIdStatement = reusableStatement('list_succeeded_steps_by_id', (db) =>
  db
    .select()
    .from(steps)
    .where(
      and(
        sql`${steps.id} = any(${sql.placeholder('stepIds')}::uuid[])`,
        eq(steps.runId, sql.placeholder('runId')),
        filterOnly(eq(steps.orgId, sql.placeholder('orgId'))),
        eq(steps.status, 'succeeded'),
      ),
    )
    .orderBy(asc(steps.createdAt), asc(steps.position), asc(steps.id)),
);
const listRunStepsInStatuses = reusableStatement('list_run_steps_in', (db) =>
  runStepsQuery(db, true),
);

export type ClaimStepParams = {
  orgId: string;
  stepId: string;
  workerId: string;
  claimToken: string;
  leaseMs: number;
};

/**
 * Claims a step for one worker: `queued`, or `running` under a lease that expired (its worker
 * died), becomes `running` under a new claim token and lease, and its attempt counter goes up.
 * Resolves null when the step is not claimable (or its run ended), so only one of several racing
 * workers wins.
 */
export async function claimStep(
  db: DatabaseExecutor,
  params: ClaimStepParams,
): Promise<Step | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId)) return null;
  const [step] = await claimStepStatement(db, {
    orgId: params.orgId,
    stepId: params.stepId,
    workerId: params.workerId,
    claimToken: params.claimToken,
    leaseSeconds: Math.max(params.leaseMs, 0) / 1000,
  });
  return step ?? null;
}

const claimStepStatement = reusableStatement('claim_step', (db) =>
  db
    .update(steps)
    .set({
      status: 'running',
      attempt: sql`${steps.attempt} + 1`,
      claimedBy: sql`${sql.placeholder('workerId')}`,
      claimToken: sql`${sql.placeholder('claimToken')}::uuid`,
      claimedAt: sql`now()`,
      leaseExpiresAt: sql`now() + make_interval(secs => ${sql.placeholder('leaseSeconds')}::float8)`,
      startedAt: sql`coalesce(${steps.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        stepKeyPlaceholders(),
        filterOnly(
          sql`${steps.status} = 'queued' or (${steps.status} = 'running' and ${steps.leaseExpiresAt} < now())`,
        ),
        // A step of a run that ended is never claimed.
        sql`exists (select 1 from ${runs} where ${runs.id} = ${steps.runId} and ${runs.status} in ('queued', 'running', 'waiting_for_approval'))`,
      ),
    )
    .returning(),
);

export type StepUpdate = Partial<
  Pick<
    NewStep,
    | 'status'
    | 'input'
    | 'output'
    | 'checkpoint'
    | 'usage'
    | 'error'
    | 'attempt'
    | 'maxAttempts'
    | 'startedAt'
    | 'finishedAt'
    | 'claimedBy'
    | 'claimToken'
    | 'claimedAt'
    | 'leaseExpiresAt'
  >
>;

/**
 * Updates a step only while `claimToken` holds its claim (status `running`): a worker that lost
 * its claim (lease expired, step reclaimed or cancelled) cannot overwrite the new holder's work.
 * Resolves null when the claim is gone.
 */
export async function updateClaimedStep(
  db: DatabaseExecutor,
  params: { orgId: string; stepId: string; claimToken: string; values: StepUpdate },
): Promise<Step | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId) || !isUuid(params.claimToken)) return null;
  const reused = updateClaimedStepStatement(db, params.values, {
    orgId: params.orgId,
    stepId: params.stepId,
    claimToken: params.claimToken,
  });
  if (reused) return (await reused)[0] ?? null;
  const [step] = await db
    .update(steps)
    .set(params.values)
    .where(
      and(
        stepKey(params),
        filterOnly(eq(steps.status, 'running')),
        eq(steps.claimToken, params.claimToken),
      ),
    )
    .returning();
  return step ?? null;
}

const updateClaimedStepStatement = reusableUpdate<StepUpdate, Step[]>(
  'update_claimed_step',
  steps,
  (db, set) =>
    db
      .update(steps)
      .set(set)
      .where(
        and(
          stepKeyPlaceholders(),
          filterOnly(eq(steps.status, 'running')),
          eq(steps.claimToken, sql.placeholder('claimToken')),
        ),
      )
      .returning(),
);

/** Extends the lease of a held claim; resolves false when the claim is gone. */
export async function extendStepLease(
  db: DatabaseExecutor,
  params: { orgId: string; stepId: string; claimToken: string; leaseMs: number },
): Promise<boolean> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId) || !isUuid(params.claimToken)) return false;
  const result = await db
    .update(steps)
    .set({ leaseExpiresAt: sql`now() + ${leaseInterval(params.leaseMs)}` })
    .where(
      and(
        stepKey(params),
        filterOnly(eq(steps.status, 'running')),
        eq(steps.claimToken, params.claimToken),
      ),
    );
  return (result.rowCount ?? 0) > 0;
}

/** Updates a step while its status is one of `statuses` (when given); null when none matched. */
export async function updateStep(
  db: DatabaseExecutor,
  params: { orgId: string; stepId: string; statuses?: readonly StepStatus[]; values: StepUpdate },
): Promise<Step | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId)) return null;
  const key = { orgId: params.orgId, stepId: params.stepId };
  const reused = updateStepStatement(
    db,
    params.values,
    params.statuses ? { ...key, statuses: params.statuses } : key,
    params.statuses ? 'statuses' : '',
  );
  if (reused) return (await reused)[0] ?? null;
  const conditions = [stepKey(params)];
  if (params.statuses) conditions.push(inArray(steps.status, [...params.statuses]));
  const [step] = await db
    .update(steps)
    .set(params.values)
    .where(and(...conditions))
    .returning();
  return step ?? null;
}

const updateStepStatement = reusableUpdate<StepUpdate, Step[]>(
  'update_step',
  steps,
  (db, set, variant) =>
    db
      .update(steps)
      .set(set)
      .where(
        variant === 'statuses'
          ? and(stepKeyPlaceholders(), sql`${steps.status} = any(${sql.placeholder('statuses')})`)
          : stepKeyPlaceholders(),
      )
      .returning(),
);

/** Updates every step of a run whose status is one of `statuses`; resolves the changed rows. */
export async function updateRunSteps(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; statuses: readonly StepStatus[]; values: StepUpdate },
): Promise<Step[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  const reused = updateRunStepsStatement(db, params.values, {
    orgId: params.orgId,
    runId: params.runId,
    statuses: params.statuses,
  });
  if (reused) return reused;
  return db
    .update(steps)
    .set(params.values)
    .where(
      and(
        eq(steps.orgId, params.orgId),
        eq(steps.runId, params.runId),
        inArray(steps.status, [...params.statuses]),
      ),
    )
    .returning();
}

const updateRunStepsStatement = reusableUpdate<StepUpdate, Step[]>(
  'update_run_steps',
  steps,
  (db, set) =>
    db
      .update(steps)
      .set(set)
      .where(
        and(runStepsPlaceholders(), sql`${steps.status} = any(${sql.placeholder('statuses')})`),
      )
      .returning(),
);

const dependency = alias(steps, 'dependency');

/**
 * Fan-in: moves the run's `pending` steps whose dependencies have all succeeded to `queued` and
 * resolves them (to be enqueued). Run it under `lockRun` so two parents finishing at once cannot
 * both miss the child.
 */
export async function queueReadySteps(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string },
): Promise<Step[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
  return queueReadyStepsStatement(db, { orgId: params.orgId, runId: params.runId });
}

const queueReadyStepsStatement = reusableStatement('queue_ready_steps', (db) =>
  db
    .update(steps)
    .set({ status: 'queued', updatedAt: sql`now()` })
    .where(
      and(
        runStepsPlaceholders(),
        eq(steps.status, 'pending'),
        isNull(steps.parentStepId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(dependency)
            .where(
              and(
                sql`${dependency.id} = any(${steps.dependsOn})`,
                sql`${dependency.status} <> 'succeeded'`,
              ),
            ),
        ),
      ),
    )
    .returning(),
);

/** System scan, across orgs: `running` steps whose lease expired before `now`. */
export async function listStalledSteps(
  db: DatabaseExecutor,
  params: { now: Date; limit: number },
): Promise<Step[]> {
  return db
    .select()
    .from(steps)
    .where(and(eq(steps.status, 'running'), lt(steps.leaseExpiresAt, params.now)))
    .orderBy(asc(steps.leaseExpiresAt))
    .limit(params.limit);
}

/** System scan, across orgs: steps `queued` since before `before` (perhaps never enqueued). */
export async function listQueuedStepsSince(
  db: DatabaseExecutor,
  params: { before: Date; limit: number },
): Promise<Step[]> {
  return db
    .select()
    .from(steps)
    .where(and(eq(steps.status, 'queued'), lt(steps.updatedAt, params.before)))
    .orderBy(asc(steps.updatedAt))
    .limit(params.limit);
}

/** The step by primary key, in the org (see `filterOnly`). */
function stepKey(params: { orgId: string; stepId: string }) {
  return and(eq(steps.id, params.stepId), filterOnly(eq(steps.orgId, params.orgId)));
}

/** `stepKey` for a reusable statement: values `orgId` and `stepId`. */
function stepKeyPlaceholders() {
  return and(
    eq(steps.id, sql.placeholder('stepId')),
    filterOnly(eq(steps.orgId, sql.placeholder('orgId'))),
  );
}

/** The steps of a run, for a reusable statement: values `orgId` and `runId`. */
function runStepsPlaceholders() {
  return and(eq(steps.orgId, sql.placeholder('orgId')), eq(steps.runId, sql.placeholder('runId')));
}

function leaseInterval(ms: number) {
  return sql`make_interval(secs => ${Math.max(ms, 0) / 1000})`;
}

export type ClaimedWithEvents = {
  step: Step;
  run: Run;
  /** `run.started` (when the run was queued) and `step.started`, stored and numbered. */
  events: RunEvent[];
  /**
   * The succeeded steps the claimed one depends on, as `listSucceededStepsById` gives them: read
   * with the claim, which spares the step's first read.
   */
  dependencies: Step[];
};

/**
 * The usual claim in one statement (one write, no transaction around it): locks the run,
 * claims the step (see `claimStep`) when the run is live, starts a queued run, and appends
 * `run.started` and `step.started` with the data the engine gives them. Resolves null, changing
 * nothing, when the step was not claimed (the run ended, the step is not claimable or not of
 * that run): the caller then takes the slow path, which tells those cases apart.
 *
 * Claims made while another is in flight go together, as one statement (`createBatcher`): each
 * claim is its own as before (its run's lock, its events), only the statement is shared.
 */
export async function claimStepWithEvents(
  db: Database,
  params: ClaimStepParams & { runId: string },
): Promise<ClaimedWithEvents | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId) || !isUuid(params.runId)) return null;
  return batchersOf(db).claim(params);
}

type ClaimRow = {
  n: string;
  step: Record<string, unknown>;
  run: Record<string, unknown>;
  events: InsertedEventRow[];
  dependencies: Record<string, unknown>[];
};

async function claimBatch(
  db: Database,
  batch: (ClaimStepParams & { runId: string })[],
): Promise<(ClaimedWithEvents | null)[]> {
  const [only] = batch;
  if (only && batch.length === 1) return [await claimOne(db, only)];
  // One statement, in a transaction of its own for `runPipelinedStatements`' settings: one
  // generic plan for any batch, made once per connection, with no scan of runs or steps.
  const [rows = []] = await runPipelinedStatements(db, [
    {
      name: 'claim_steps_with_events',
      text: CLAIM_STEPS_WITH_EVENTS,
      values: [
        batch.map((claim) => claim.orgId),
        batch.map((claim) => claim.runId),
        batch.map((claim) => claim.stepId),
        batch.map((claim) => claim.claimToken),
        batch.map((claim) => claim.workerId),
        batch.map((claim) => Math.max(claim.leaseMs, 0) / 1000),
      ],
    },
  ]);
  const results: (ClaimedWithEvents | null)[] = batch.map(() => null);
  for (const row of rows as ClaimRow[]) results[Number(row.n) - 1] = claimedFromRow(row);
  return results;
}

function claimedFromRow(row: Omit<ClaimRow, 'n'>): ClaimedWithEvents {
  return {
    step: fromJsonRow<Step>(steps, row.step),
    run: fromJsonRow<Run>(runs, row.run),
    events: toRunEvents(row.events),
    dependencies: row.dependencies.map((json) => fromJsonRow<Step>(steps, json)),
  };
}

/**
 * A claim alone (light load) by its own statement: the batch's costs more to run for one step
 * (about 45 % more in PostgreSQL), and it needs a transaction for its generic plan, where this
 * one reaches its generic plan by itself. Both statements make the same change.
 */
async function claimOne(
  db: Database,
  params: ClaimStepParams & { runId: string },
): Promise<ClaimedWithEvents | null> {
  const { rows } = await sessionClient(db).query({
    name: 'claim_step_with_events',
    text: CLAIM_STEP_WITH_EVENTS,
    values: [
      params.orgId,
      params.runId,
      params.stepId,
      params.workerId,
      params.claimToken,
      Math.max(params.leaseMs, 0) / 1000,
    ],
  });
  const [row] = rows as Omit<ClaimRow, 'n'>[];
  return row ? claimedFromRow(row) : null;
}

// The claimed step's succeeded dependencies (`listSucceededStepsById`'s rows and order), by
// primary key, read in the claim's snapshot: they succeeded before the step was queued.
const SUCCEEDED_DEPENDENCIES = `
  select coalesce(json_agg(row_to_json(d) order by d.created_at, d.position, d.id), '[]'::json)
  from steps d
  where d.id = any(claimed.depends_on) and d.run_id = claimed.run_id
    and (d.org_id = claimed.org_id) is true and d.status = 'succeeded'`;

// $1 org, $2 run, $3 step, $4 worker, $5 claim token, $6 lease in seconds. Every part after the
// claim joins `claimed`, so an unclaimed step leaves everything as it was.
const CLAIM_STEP_WITH_EVENTS = `
  with locked as (
    select id, status from runs where id = $2::uuid and (org_id = $1::uuid) is true for update
  ), claimed as (
    update steps s set
      status = 'running',
      attempt = s.attempt + 1,
      claimed_by = $4::text,
      claim_token = $5::uuid,
      claimed_at = now(),
      lease_expires_at = now() + make_interval(secs => $6::float8),
      started_at = coalesce(s.started_at, now()),
      updated_at = now()
    from locked
    where s.id = $3::uuid and (s.org_id = $1::uuid) is true and s.run_id = locked.id
      and locked.status in ('queued', 'running', 'waiting_for_approval')
      and (s.status = 'queued' or (s.status = 'running' and s.lease_expires_at < now())) is true
    returning s.*
  ), event_list as (
    select 1 as n, 'run.started' as type, '{"status":"running"}'::jsonb as data
    from claimed, locked
    where locked.status = 'queued'
    union all
    select case when locked.status = 'queued' then 2 else 1 end, 'step.started',
      jsonb_build_object(
        'stepId', claimed.id, 'kind', claimed.kind, 'attempt', claimed.attempt,
        'agentId', claimed.agent_id, 'agentVersion', claimed.agent_version
      )
      || case when jsonb_typeof(claimed.input->'subtaskId') = 'string'
           then jsonb_build_object('subtaskId', claimed.input->'subtaskId')
           else '{}'::jsonb end
      || jsonb_build_object('workerId', $4::text)
    from claimed, locked
  ), started as (
    update runs r set
      status = case when locked.status = 'queued' then 'running' else r.status end,
      started_at = case when locked.status = 'queued' then now() else r.started_at end,
      heartbeat_at = case when locked.status = 'queued' then now() else r.heartbeat_at end,
      next_event_seq = r.next_event_seq + (select count(*) from event_list)::integer
    from claimed, locked
    where r.id = $2::uuid and (r.org_id = $1::uuid) is true
    returning r.*, r.next_event_seq - (select count(*) from event_list)::integer as first_seq
  ), stored as (
    insert into run_events (run_id, org_id, seq, type, data)
    select $2::uuid, $1::uuid, started.first_seq + event_list.n - 1, event_list.type, event_list.data
    from started, event_list
    returning run_id, seq, org_id, type, data, created_at
  )
  select
    (select row_to_json(claimed) from claimed) as step,
    (select to_jsonb(started) - 'first_seq' from started) as run,
    (select coalesce(json_agg(stored), '[]'::json) from stored) as events,
    (${SUCCEEDED_DEPENDENCIES}) as dependencies
  from claimed`;

// Arrays, one element per claim: $1 org, $2 run, $3 step, $4 claim token, $5 worker, $6 lease in
// seconds. At most one claim per run (`createBatcher`'s key). Runs are locked in id order, as in
// every statement that locks several. Every part after the claim joins `claimed`, so a claim
// that fails leaves its run as it was. Each `= any(...)` keeps the lookups on primary keys.
const CLAIM_STEPS_WITH_EVENTS = `
  with input as (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::float8[])
      with ordinality as i(org_id, run_id, step_id, claim_token, worker_id, lease, n)
  ), locked as (
    select r.id, r.status
    from (select * from input order by run_id) i, lateral (
      select id, status from runs
      where id = i.run_id and (org_id = i.org_id) is true
      for update
    ) r
  ), claimed as (
    update steps s set
      status = 'running',
      attempt = s.attempt + 1,
      claimed_by = i.worker_id,
      claim_token = i.claim_token,
      claimed_at = now(),
      lease_expires_at = now() + make_interval(secs => i.lease),
      started_at = coalesce(s.started_at, now()),
      updated_at = now()
    from input i, locked
    where s.id = any($3::uuid[]) and s.id = i.step_id and (s.org_id = i.org_id) is true
      and s.run_id = locked.id and locked.id = i.run_id
      and locked.status in ('queued', 'running', 'waiting_for_approval')
      and (s.status = 'queued' or (s.status = 'running' and s.lease_expires_at < now())) is true
    returning s.*
  ), event_list as (
    select claimed.run_id, 1 as k, 'run.started' as type, '{"status":"running"}'::jsonb as data
    from claimed join locked on locked.id = claimed.run_id
    where locked.status = 'queued'
    union all
    select claimed.run_id, case when locked.status = 'queued' then 2 else 1 end, 'step.started',
      jsonb_build_object(
        'stepId', claimed.id, 'kind', claimed.kind, 'attempt', claimed.attempt,
        'agentId', claimed.agent_id, 'agentVersion', claimed.agent_version
      )
      || case when jsonb_typeof(claimed.input->'subtaskId') = 'string'
           then jsonb_build_object('subtaskId', claimed.input->'subtaskId')
           else '{}'::jsonb end
      || jsonb_build_object('workerId', claimed.claimed_by)
    from claimed join locked on locked.id = claimed.run_id
  ), counts as (
    select run_id, count(*)::integer as events from event_list group by run_id
  ), started as (
    update runs r set
      status = case when locked.status = 'queued' then 'running' else r.status end,
      started_at = case when locked.status = 'queued' then now() else r.started_at end,
      heartbeat_at = case when locked.status = 'queued' then now() else r.heartbeat_at end,
      next_event_seq = r.next_event_seq + counts.events
    from locked join counts on counts.run_id = locked.id
    where r.id = any($2::uuid[]) and r.id = locked.id
    returning r.*, r.next_event_seq - counts.events as first_seq
  ), stored as (
    insert into run_events (run_id, org_id, seq, type, data)
    select started.id, started.org_id, started.first_seq + event_list.k - 1, event_list.type,
      event_list.data
    from started join event_list on event_list.run_id = started.id
    returning run_id, seq, org_id, type, data, created_at
  )
  select input.n,
    row_to_json(claimed) as step,
    (select to_jsonb(started) - 'first_seq' from started where started.id = claimed.run_id) as run,
    (select coalesce(json_agg(stored order by stored.seq), '[]'::json) from stored
     where stored.run_id = claimed.run_id) as events,
    (${SUCCEEDED_DEPENDENCIES}) as dependencies
  from claimed join input on input.step_id = claimed.id`;

export type CompleteStepWithEventsParams = {
  orgId: string;
  runId: string;
  stepId: string;
  claimToken: string;
  /** The step's answer and its checkpoint and usage after the final model call. */
  output: Record<string, unknown>;
  checkpoint: Record<string, unknown>;
  usage: StepUsage;
  /** The final model call's `model_call` child step, with its id chosen by the caller. */
  modelCall: {
    id: string;
    position: number;
    input: Record<string, unknown>;
    output: Record<string, unknown>;
    usage: StepUsage;
    startedAt: Date;
    finishedAt: Date;
  };
  /** Its usage record (attempt 1) and what it adds to the run's totals. */
  usageRecord: {
    provider: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    costMicros: number;
  };
  /** Model calls to add to the run's count (0 when the budget check counted it already). */
  modelCalls: number;
  /**
   * The events of the change, in order; a `model.completed` gets the run's new totals as
   * `runUsage`, and `run.succeeded` is appended when the run ends.
   */
  events: { type: string; data: Record<string, unknown> }[];
  /** The run's result should this step end it. */
  result: Record<string, unknown>;
};

export type CompletedWithEvents = {
  /** Steps that became ready (fan-in) and must be enqueued. */
  ready: Pick<Step, 'id'>[];
  events: RunEvent[];
  /** Whether the run ended (succeeded) with this step. */
  ended: boolean;
};

/**
 * The usual completion of an agent turn or synthesis in one statement (after the run's lock, in
 * one transaction sent in one write): under the run's lock,
 * marks the claimed step succeeded (releasing the claim), stores its final model call (child
 * step, usage record, run totals), queues the steps that became ready, ends the run when nothing
 * is left to do, and appends the events. Resolves null, changing nothing, when the claim is gone
 * or the run ended; the caller then takes the run-locked path, which reports that.
 *
 * Completions made while another is in flight go together, in one transaction (`createBatcher`):
 * at most one step per run, so each run's part is what its completion alone would have done.
 */
export async function completeStepWithEvents(
  db: Database,
  params: CompleteStepWithEventsParams,
): Promise<CompletedWithEvents | null> {
  if (![params.orgId, params.runId, params.stepId, params.claimToken].every(isUuid)) return null;
  return batchersOf(db).complete(params);
}

type CompletionRow = { ready: string[]; events: InsertedEventRow[]; ended: boolean };
/** The batched completion's one row: each part tagged with its run. */
type CompletionBatchRow = {
  outcomes: { run_id: string; ends: boolean }[];
  ready: { id: string; run_id: string }[];
  events: InsertedEventRow[];
};

async function completeBatch(
  db: Database,
  batch: CompleteStepWithEventsParams[],
): Promise<(CompletedWithEvents | null)[]> {
  const [only] = batch;
  if (only && batch.length === 1) return [await completeOne(db, only)];
  const runIds = batch.map((completion) => completion.runId);
  // The runs' locks first, as a statement of its own: the completion's snapshot is then taken
  // once the locks are granted, so it sees what a step of the run that finished meanwhile wrote
  // (a fan-in). All of it still goes out in one write.
  const [, rows = []] = await runPipelinedStatements(db, [
    {
      name: 'lock_runs_for_completion',
      text: LOCK_RUNS_FOR_COMPLETION,
      values: [batch.map((completion) => completion.orgId), runIds],
    },
    {
      name: 'complete_steps_with_events',
      text: COMPLETE_STEPS_WITH_EVENTS,
      values: [
        batch.map((completion) => completion.orgId),
        runIds,
        batch.map((completion) => completion.stepId),
        batch.map((completion) => completion.claimToken),
        JSON.stringify(batch.map(completionItem)),
      ],
    },
  ]);
  const [row] = rows as CompletionBatchRow[];
  // The batch's parts, gathered per run (one completion per run).
  const byRun = new Map<string, CompletionRow>();
  for (const outcome of row?.outcomes ?? []) {
    byRun.set(outcome.run_id, { ready: [], events: [], ended: outcome.ends });
  }
  for (const step of row?.ready ?? []) byRun.get(step.run_id)?.ready.push(step.id);
  for (const event of row?.events ?? []) byRun.get(event.run_id)?.events.push(event);
  return batch.map((completion) => {
    const part = byRun.get(completion.runId);
    return part ? completedFromRow(part) : null;
  });
}

function completedFromRow(row: CompletionRow): CompletedWithEvents {
  return {
    ready: row.ready.map((id) => ({ id })),
    events: toRunEvents(row.events),
    ended: row.ended,
  };
}

/** What the statement reads of one completion besides its keys (`$5`'s elements). */
/** The final model call's `model_call` step as `jsonb_populate_record` reads it. */
function modelCallRow(call: CompleteStepWithEventsParams['modelCall']) {
  return {
    id: call.id,
    position: call.position,
    input: call.input,
    output: call.output,
    usage: call.usage,
    started_at: call.startedAt.toISOString(),
    finished_at: call.finishedAt.toISOString(),
  };
}

function completionItem(params: CompleteStepWithEventsParams) {
  return {
    output: params.output,
    checkpoint: params.checkpoint,
    usage: params.usage,
    model_call: modelCallRow(params.modelCall),
    provider: params.usageRecord.provider,
    model: params.usageRecord.model,
    input_tokens: params.usageRecord.inputTokens,
    output_tokens: params.usageRecord.outputTokens,
    cost_micros: params.usageRecord.costMicros,
    model_calls: params.modelCalls,
    events: params.events,
    result: params.result,
  };
}

/**
 * A completion alone (light load) by its own statement, which costs PostgreSQL about a third
 * less than the batch's for one step. Both statements make the same change.
 */
async function completeOne(
  db: Database,
  params: CompleteStepWithEventsParams,
): Promise<CompletedWithEvents | null> {
  const [, rows = []] = await runPipelinedStatements(db, [
    {
      name: 'lock_run_for_completion',
      text: 'select 1 from runs where id = $2::uuid and (org_id = $1::uuid) is true for update',
      values: [params.orgId, params.runId],
    },
    {
      name: 'complete_step_with_events',
      text: COMPLETE_STEP_WITH_EVENTS,
      values: [
        params.orgId,
        params.runId,
        params.stepId,
        params.claimToken,
        JSON.stringify({
          output: params.output,
          checkpoint: params.checkpoint,
          usage: params.usage,
        }),
        JSON.stringify(modelCallRow(params.modelCall)),
        params.usageRecord.provider,
        params.usageRecord.model,
        params.usageRecord.inputTokens,
        params.usageRecord.outputTokens,
        params.usageRecord.costMicros,
        params.modelCalls,
        JSON.stringify(params.events),
        JSON.stringify(params.result),
      ],
    },
  ]);
  const [row] = rows as CompletionRow[];
  return row ? completedFromRow(row) : null;
}

// $1 org, $2 run, $3 step, $4 claim token, $5 {output, checkpoint, usage}, $6 the model call's
// row, $7 provider, $8 model, $9 input tokens, $10 output tokens, $11 cost, $12 model calls
// counted now, $13 events, $14 the run's result. Every part joins `done`, so a lost claim or an
// ended run leaves everything as it was. The statement's snapshot does not see its own changes:
// the fan-in and liveness checks count this step as succeeded explicitly.
const COMPLETE_STEP_WITH_EVENTS = `
  with locked as (
    select id, status, input_tokens, output_tokens, cost_micros, steps
    from runs where id = $2::uuid and (org_id = $1::uuid) is true for update
  ), done as (
    update steps s set
      status = 'succeeded',
      output = $5::jsonb->'output',
      checkpoint = $5::jsonb->'checkpoint',
      usage = $5::jsonb->'usage',
      error = null,
      finished_at = now(),
      claimed_by = null,
      claim_token = null,
      lease_expires_at = null,
      updated_at = now()
    from locked
    where s.id = $3::uuid and (s.org_id = $1::uuid) is true and s.run_id = locked.id
      and (s.status = 'running') is true and s.claim_token = $4::uuid
      and locked.status in ('queued', 'running', 'waiting_for_approval')
    returning s.*
  ), child as (
    insert into steps (id, run_id, org_id, parent_step_id, kind, status, position, agent_id,
      agent_version, input, output, usage, attempt, started_at, finished_at)
    select call.id, done.run_id, done.org_id, done.id, 'model_call', 'succeeded', call.position,
      done.agent_id, done.agent_version, call.input, call.output, call.usage, 1, call.started_at,
      call.finished_at
    from done, jsonb_populate_record(null::steps, $6::jsonb) as call
    returning id
  ), recorded as (
    insert into usage_records (org_id, run_id, step_id, attempt, provider, model, input_tokens,
      output_tokens, cost_micros)
    select $1::uuid, $2::uuid, child.id, 1, $7::text, $8::text, $9::integer, $10::integer,
      $11::bigint
    from child
    on conflict (step_id, attempt) do nothing
  ), ready as (
    update steps s set status = 'queued', updated_at = now()
    from done
    where s.org_id = $1::uuid and s.run_id = $2::uuid and s.status = 'pending'
      and s.parent_step_id is null
      and not exists (
        select 1 from steps d
        where d.id = any(s.depends_on) and d.id <> $3::uuid and d.status <> 'succeeded'
      )
    returning s.id
  ), ending as (
    select not exists (select 1 from ready) and not exists (
      select 1 from steps s
      where s.org_id = $1::uuid and s.run_id = $2::uuid and s.id <> $3::uuid
        and s.status in ('pending', 'queued', 'running', 'waiting_for_approval')
    ) as ends
    from done
  ), totals as (
    select
      locked.input_tokens + $9::integer as input_tokens,
      locked.output_tokens + $10::integer as output_tokens,
      locked.cost_micros + $11::bigint as cost_micros,
      locked.steps + $12::integer as steps
    from locked
  ), usage_json as (
    select jsonb_build_object(
      'inputTokens', input_tokens, 'outputTokens', output_tokens,
      'costMicros', cost_micros, 'steps', steps
    ) as usage
    from totals
  ), event_list as (
    select event.n::integer as n, event.value->>'type' as type,
      case when event.value->>'type' = 'model.completed'
        then (event.value->'data') || jsonb_build_object('runUsage', usage_json.usage)
        else event.value->'data' end as data
    from done, usage_json,
      jsonb_array_elements($13::jsonb) with ordinality as event(value, n)
    union all
    select jsonb_array_length($13::jsonb) + 1, 'run.succeeded',
      jsonb_build_object('status', 'succeeded', 'usage', usage_json.usage)
    from done, usage_json, ending
    where ending.ends
  ), updated as (
    update runs r set
      input_tokens = totals.input_tokens,
      output_tokens = totals.output_tokens,
      cost_micros = totals.cost_micros,
      steps = totals.steps,
      heartbeat_at = now(),
      status = case when ending.ends then 'succeeded' else r.status end,
      finished_at = case when ending.ends then now() else r.finished_at end,
      result = case when ending.ends then $14::jsonb else r.result end,
      error = case when ending.ends then null else r.error end,
      stop_reason = case when ending.ends then null else r.stop_reason end,
      next_event_seq = r.next_event_seq + (select count(*) from event_list)::integer
    from done, totals, ending
    where r.id = $2::uuid and (r.org_id = $1::uuid) is true
    returning r.next_event_seq - (select count(*) from event_list)::integer as first_seq
  ), stored as (
    insert into run_events (run_id, org_id, seq, type, data)
    select $2::uuid, $1::uuid, updated.first_seq + event_list.n - 1, event_list.type,
      event_list.data
    from updated, event_list
    returning run_id, seq, org_id, type, data, created_at
  )
  select
    array(select id from ready) as ready,
    (select coalesce(json_agg(stored), '[]'::json) from stored) as events,
    ending.ends as ended
  from done, ending, (select count(*) from updated) as runs_updated`;

// $1 orgs, $2 runs: locked in id order, as in every statement that locks several runs, each by
// its primary key (a lateral lookup per run: a scan of `runs` could look cheaper on a new table).
const LOCK_RUNS_FOR_COMPLETION = `
  select r.id
  from (select * from unnest($1::uuid[], $2::uuid[]) as u(org_id, run_id) order by run_id) i,
    lateral (
      select id from runs where id = i.run_id and (org_id = i.org_id) is true for update
    ) r`;

// Arrays, one element per completion: $1 org, $2 run, $3 step, $4 claim token; $5 a JSON array
// of the rest (`completionItem`). At most one completion per run. Every part after the claim
// derives from `done`, which carries each completion's input and run along (a lost claim or an
// ended run leaves that run as it was), so no part joins another: the planner rates every CTE at
// a row or so and would join two of them by a nested loop, quadratic in the batch. The runs'
// locks were granted before the statement's snapshot (`LOCK_RUNS_FOR_COMPLETION`), so the
// `next_event_seq` read here is the run's current one. The snapshot does not see the statement's
// own changes: the liveness check counts the completed step as succeeded explicitly, and the
// steps that become ready are still `pending` in it; they are found on the run index through
// `= any($2)` (without it, a scan of the whole index). One row: every outcome, ready step and
// stored event of the batch, each with its run.
const COMPLETE_STEPS_WITH_EVENTS = `
  with input as (
    select i.org_id, i.run_id, i.step_id, i.claim_token, i.n, item.value as item
    from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[])
        with ordinality as i(org_id, run_id, step_id, claim_token, n)
      join jsonb_array_elements($5::jsonb) with ordinality as item(value, n) on item.n = i.n
  ), locked as (
    select i.*, r.status, r.input_tokens, r.output_tokens, r.cost_micros, r.steps,
      r.next_event_seq
    from (select * from input order by run_id) i, lateral (
      select status, input_tokens, output_tokens, cost_micros, steps, next_event_seq from runs
      where id = i.run_id and (org_id = i.org_id) is true
      for update
    ) r
  ), done as (
    update steps s set
      status = 'succeeded',
      output = l.item->'output',
      checkpoint = l.item->'checkpoint',
      usage = l.item->'usage',
      error = null,
      finished_at = now(),
      claimed_by = null,
      claim_token = null,
      lease_expires_at = null,
      updated_at = now()
    from locked l
    where s.id = l.step_id and (s.org_id = l.org_id) is true and s.run_id = l.run_id
      and (s.status = 'running') is true and s.claim_token = l.claim_token
      and l.status in ('queued', 'running', 'waiting_for_approval')
    returning s.id, s.run_id, s.org_id, s.agent_id, s.agent_version, l.n, l.item,
      l.next_event_seq,
      jsonb_build_object(
        'inputTokens', l.input_tokens + (l.item->>'input_tokens')::integer,
        'outputTokens', l.output_tokens + (l.item->>'output_tokens')::integer,
        'costMicros', l.cost_micros + (l.item->>'cost_micros')::bigint,
        'steps', l.steps + (l.item->>'model_calls')::integer
      ) as totals
  ), child as (
    insert into steps (id, run_id, org_id, parent_step_id, kind, status, position, agent_id,
      agent_version, input, output, usage, attempt, started_at, finished_at)
    select call.id, done.run_id, done.org_id, done.id, 'model_call', 'succeeded', call.position,
      done.agent_id, done.agent_version, call.input, call.output, call.usage, 1, call.started_at,
      call.finished_at
    from done, jsonb_populate_record(null::steps, done.item->'model_call') as call
  ), recorded as (
    insert into usage_records (org_id, run_id, step_id, attempt, provider, model, input_tokens,
      output_tokens, cost_micros)
    select done.org_id, done.run_id, (done.item->'model_call'->>'id')::uuid, 1,
      done.item->>'provider', done.item->>'model', (done.item->>'input_tokens')::integer,
      (done.item->>'output_tokens')::integer, (done.item->>'cost_micros')::bigint
    from done
    on conflict (step_id, attempt) do nothing
  ), ready as (
    update steps s set status = 'queued', updated_at = now()
    from done
    where s.run_id = any($2::uuid[]) and s.run_id = done.run_id and s.org_id = done.org_id
      and s.status = 'pending' and s.parent_step_id is null
      -- A count, not NOT EXISTS: an anti join could scan every step.
      and (
        select count(*) from steps d
        where d.id = any(s.depends_on) and d.id <> done.id and d.status <> 'succeeded'
      ) = 0
    returning s.id, s.run_id
  ), outcome as (
    select done.*, not exists (
        select 1 from steps s
        where s.run_id = done.run_id and s.org_id = done.org_id and s.id <> done.id
          and s.status in ('pending', 'queued', 'running', 'waiting_for_approval')
      ) as ends
    from done
  ), event_list as (
    select o.run_id, o.org_id, o.next_event_seq + event.n - 1 as seq, event.value->>'type' as type,
      case when event.value->>'type' = 'model.completed'
        then (event.value->'data') || jsonb_build_object('runUsage', o.totals)
        else event.value->'data' end as data
    from outcome o, jsonb_array_elements(o.item->'events') with ordinality as event(value, n)
    union all
    select o.run_id, o.org_id, o.next_event_seq + jsonb_array_length(o.item->'events'),
      'run.succeeded', jsonb_build_object('status', 'succeeded', 'usage', o.totals)
    from outcome o
    where o.ends
  ), updated as (
    update runs r set
      input_tokens = (o.totals->>'inputTokens')::integer,
      output_tokens = (o.totals->>'outputTokens')::integer,
      cost_micros = (o.totals->>'costMicros')::bigint,
      steps = (o.totals->>'steps')::integer,
      heartbeat_at = now(),
      status = case when o.ends then 'succeeded' else r.status end,
      finished_at = case when o.ends then now() else r.finished_at end,
      result = case when o.ends then o.item->'result' else r.result end,
      error = case when o.ends then null else r.error end,
      stop_reason = case when o.ends then null else r.stop_reason end,
      next_event_seq = o.next_event_seq + jsonb_array_length(o.item->'events')
        + case when o.ends then 1 else 0 end
    from outcome o
    where r.id = o.run_id
  ), stored as (
    insert into run_events (run_id, org_id, seq, type, data)
    select run_id, org_id, seq, type, data from event_list
    returning run_id, seq, org_id, type, data, created_at
  )
  select
    (select coalesce(json_agg(json_build_object('run_id', run_id, 'ends', ends)), '[]')
     from outcome) as outcomes,
    (select coalesce(json_agg(json_build_object('id', id, 'run_id', run_id)), '[]')
     from ready) as ready,
    (select coalesce(json_agg(stored), '[]') from stored) as events`;

/** The batched statements of one database (see `createBatcher`). */
type StepBatchers = {
  claim: (params: ClaimStepParams & { runId: string }) => Promise<ClaimedWithEvents | null>;
  complete: (params: CompleteStepWithEventsParams) => Promise<CompletedWithEvents | null>;
};

const batchers = new WeakMap<Database, StepBatchers>();

/**
 * Two batches of each kind in flight: one being written while the other waits for its reply.
 * A batch holds its runs' locks until it commits, so batches stay short.
 */
const BATCHES_IN_FLIGHT = 2;
const MAX_BATCH = 50;

function batchersOf(db: Database): StepBatchers {
  let found = batchers.get(db);
  if (!found) {
    const byRun = (item: { runId: string }) => item.runId;
    found = {
      claim: createBatcher<ClaimStepParams & { runId: string }, ClaimedWithEvents | null>({
        run: (batch) => claimBatch(db, batch),
        keyOf: byRun,
        maxBatch: MAX_BATCH,
        maxInFlight: BATCHES_IN_FLIGHT,
      }),
      complete: createBatcher<CompleteStepWithEventsParams, CompletedWithEvents | null>({
        run: (batch) => completeBatch(db, batch),
        keyOf: byRun,
        maxBatch: MAX_BATCH,
        maxInFlight: BATCHES_IN_FLIGHT,
      }),
    };
    batchers.set(db, found);
  }
  return found;
}
