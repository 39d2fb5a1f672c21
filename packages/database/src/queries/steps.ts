import { and, asc, eq, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { steps, type NewStep, type Step, type StepStatus } from '../schema';

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
  return db.insert(steps).values(params.steps).returning();
}

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
  const [step] = await db.select().from(steps).where(stepKey(params)).limit(1);
  return step ?? null;
}

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
  const conditions = [eq(steps.orgId, params.orgId), eq(steps.runId, params.runId)];
  if (params.statuses) conditions.push(inArray(steps.status, [...params.statuses]));
  return db
    .select()
    .from(steps)
    .where(and(...conditions))
    .orderBy(asc(steps.createdAt), asc(steps.position), asc(steps.id));
}

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
 * Resolves null when the step is not claimable, so only one of several racing workers wins.
 */
export async function claimStep(
  db: DatabaseExecutor,
  params: ClaimStepParams,
): Promise<Step | null> {
  if (!isUuid(params.orgId) || !isUuid(params.stepId)) return null;
  const [step] = await db
    .update(steps)
    .set({
      status: 'running',
      attempt: sql`${steps.attempt} + 1`,
      claimedBy: params.workerId,
      claimToken: params.claimToken,
      claimedAt: sql`now()`,
      leaseExpiresAt: sql`now() + ${leaseInterval(params.leaseMs)}`,
      startedAt: sql`coalesce(${steps.startedAt}, now())`,
    })
    .where(
      and(
        stepKey(params),
        or(
          eq(steps.status, 'queued'),
          and(eq(steps.status, 'running'), lt(steps.leaseExpiresAt, sql`now()`)),
        ),
      ),
    )
    .returning();
  return step ?? null;
}

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
  const [step] = await db
    .update(steps)
    .set(params.values)
    .where(
      and(stepKey(params), eq(steps.status, 'running'), eq(steps.claimToken, params.claimToken)),
    )
    .returning();
  return step ?? null;
}

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
  const conditions = [stepKey(params)];
  if (params.statuses) conditions.push(inArray(steps.status, [...params.statuses]));
  const [step] = await db
    .update(steps)
    .set(params.values)
    .where(and(...conditions))
    .returning();
  return step ?? null;
}

/** Updates every step of a run whose status is one of `statuses`; resolves the changed rows. */
export async function updateRunSteps(
  db: DatabaseExecutor,
  params: { orgId: string; runId: string; statuses: readonly StepStatus[]; values: StepUpdate },
): Promise<Step[]> {
  if (!isUuid(params.orgId) || !isUuid(params.runId)) return [];
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
  return db
    .update(steps)
    .set({ status: 'queued' })
    .where(
      and(
        eq(steps.orgId, params.orgId),
        eq(steps.runId, params.runId),
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
    .returning();
}

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

function leaseInterval(ms: number) {
  return sql`make_interval(secs => ${Math.max(ms, 0) / 1000})`;
}
