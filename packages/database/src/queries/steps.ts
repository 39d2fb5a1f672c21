import { and, asc, eq, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import {
  placeholderRow,
  reusableStatement,
  reusableStatementVariants,
  reusableUpdate,
} from '../reusable-statement';
import { runs, steps, type NewStep, type Step, type StepStatus } from '../schema';

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
  // Reused for the few rows the engine inserts per step; a plan's many subtasks are built anew.
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

const MAX_REUSED_INSERT_ROWS = 2;

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
    .onConflictDoNothing({ target: steps.idempotencyKey })
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
        or(
          eq(steps.status, 'queued'),
          and(eq(steps.status, 'running'), lt(steps.leaseExpiresAt, sql`now()`)),
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
      and(stepKey(params), eq(steps.status, 'running'), eq(steps.claimToken, params.claimToken)),
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
          eq(steps.status, 'running'),
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
      and(stepKey(params), eq(steps.status, 'running'), eq(steps.claimToken, params.claimToken)),
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

function stepKey(params: { orgId: string; stepId: string }) {
  return and(eq(steps.orgId, params.orgId), eq(steps.id, params.stepId));
}

/** `stepKey` for a reusable statement: values `orgId` and `stepId`. */
function stepKeyPlaceholders() {
  return and(eq(steps.orgId, sql.placeholder('orgId')), eq(steps.id, sql.placeholder('stepId')));
}

/** The steps of a run, for a reusable statement: values `orgId` and `runId`. */
function runStepsPlaceholders() {
  return and(eq(steps.orgId, sql.placeholder('orgId')), eq(steps.runId, sql.placeholder('runId')));
}

function leaseInterval(ms: number) {
  return sql`make_interval(secs => ${Math.max(ms, 0) / 1000})`;
}
