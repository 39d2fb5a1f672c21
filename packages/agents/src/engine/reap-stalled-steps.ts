import {
  getRun,
  getStep,
  listOverdueRuns,
  listQueuedStepsSince,
  listRunSteps,
  listRunsWithoutLiveSteps,
  listStalledSteps,
  updateClaimedStep,
  type Step,
} from '@switchyard/database';
import { publishRunCancel } from '../events/publish-run-events';
import { recordRunChange } from '../events/record-run-change';
import { outputText } from './build-step-messages';
import type { RunServiceDeps } from './engine-deps';
import { endRun } from './end-run';
import { enqueueSteps } from './enqueue-steps';
import { partialResult } from './partial-result';
import { isExecutableStep, isRunActive } from './run-states';

export type ReapStalledStepsOptions = {
  /** The reaper's clock (tests move it forward instead of waiting). */
  now?: Date;
  /** Most rows handled per scan. */
  limit?: number;
  /** A step queued for longer than this without a BullMQ job is enqueued again. */
  queuedGraceMs?: number;
};

export type ReapStalledStepsResult = {
  /** Stalled steps (worker gone) put back in the queue, to resume from their checkpoint. */
  requeued: number;
  /** Stalled steps out of attempts: failed with their run. */
  failed: number;
  /** Queued steps that had lost their job, enqueued again. */
  reenqueued: number;
  /** Runs past their wall-clock deadline, stopped. */
  timedOut: number;
  /** Live runs with nothing left that could progress, ended. */
  settled: number;
};

const BULLMQ_PENDING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);
const RELEASED_CLAIM = { claimToken: null, claimedBy: null, leaseExpiresAt: null } as const;

/**
 * The safety net that keeps no run `running` without a live worker (a repeatable job):
 * - a `running` step whose lease expired and whose BullMQ job is not active (its worker died and
 *   the job is gone) is queued again, to resume from its checkpoint, or failed when out of attempts;
 * - a step `queued` in Postgres without a BullMQ job (a crash between commit and enqueue) is
 *   enqueued again;
 * - a live run past its deadline stops with `budget_exceeded`, keeping its partial results;
 * - a live run with no step left that could progress is ended.
 */
export async function reapStalledSteps(
  deps: RunServiceDeps,
  options: ReapStalledStepsOptions = {},
): Promise<ReapStalledStepsResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 100;
  const grace = options.queuedGraceMs ?? 60_000;
  const result: ReapStalledStepsResult = {
    requeued: 0,
    failed: 0,
    reenqueued: 0,
    timedOut: 0,
    settled: 0,
  };

  for (const stalled of await listStalledSteps(deps.db, { now, limit })) {
    const state = await deps.queue.getStepJobState(stalled.id);
    // An active job is redelivered by BullMQ once its lock expires (the expired lease lets the
    // next worker claim it); a waiting one will claim it soon.
    if (state === 'active' || BULLMQ_PENDING_STATES.has(state)) continue;
    const outcome = await reclaimStalledStep(deps, stalled, now);
    if (outcome === 'requeued') result.requeued += 1;
    if (outcome === 'failed') result.failed += 1;
  }

  const before = new Date(now.getTime() - grace);
  for (const queued of await listQueuedStepsSince(deps.db, { before, limit })) {
    const state = await deps.queue.getStepJobState(queued.id);
    if (state === 'active' || BULLMQ_PENDING_STATES.has(state)) continue;
    const run = await getRun(deps.db, { orgId: queued.orgId, runId: queued.runId });
    if (!run || !isRunActive(run.status)) continue;
    await enqueueSteps(deps, run, [queued], deps.log);
    result.reenqueued += 1;
  }

  for (const overdue of await listOverdueRuns(deps.db, { now, limit })) {
    const { value: stopped } = await recordRunChange(
      deps,
      { orgId: overdue.orgId, runId: overdue.id },
      async (change) => {
        const { run, tx } = change;
        if (!isRunActive(run.status) || !run.deadlineAt || run.deadlineAt > now) return false;
        const steps = await listRunSteps(tx, { orgId: run.orgId, runId: run.id });
        const running = steps.find((step) => step.status === 'running');
        const ended = await endRun(change, {
          status: 'failed',
          stopReason: 'budget_exceeded',
          error: {
            code: 'budget_exceeded',
            message: 'The run reached its time limit.',
            limit: 'maxDurationMs',
          },
          result: partialResult(steps, running?.id ?? null),
        });
        return ended !== null;
      },
    );
    if (stopped) {
      result.timedOut += 1;
      await publishRunCancel(deps.redis, overdue.id, deps.log);
    }
  }

  for (const orphan of await listRunsWithoutLiveSteps(deps.db, { before, limit })) {
    const { value: settled } = await recordRunChange(
      deps,
      { orgId: orphan.orgId, runId: orphan.id },
      async (change) => {
        const { run, tx } = change;
        if (!isRunActive(run.status)) return false;
        const steps = (await listRunSteps(tx, { orgId: run.orgId, runId: run.id })).filter((step) =>
          isExecutableStep(step.kind),
        );
        if (steps.some((step) => ['pending', 'queued', 'running'].includes(step.status))) {
          return false;
        }
        const last = steps.at(-1);
        const done = steps.length > 0 && steps.every((step) => step.status === 'succeeded');
        await endRun(
          change,
          done && last
            ? { status: 'succeeded', result: { output: outputText(last.output), stepId: last.id } }
            : {
                status: 'failed',
                error: { code: 'stalled', message: 'The run stopped making progress.' },
              },
        );
        return true;
      },
    );
    if (settled) result.settled += 1;
  }
  return result;
}

async function reclaimStalledStep(
  deps: RunServiceDeps,
  stalled: Step,
  now: Date,
): Promise<'requeued' | 'failed' | 'skipped'> {
  const { value } = await recordRunChange(
    deps,
    { orgId: stalled.orgId, runId: stalled.runId },
    async (change) => {
      const { tx, run, emit } = change;
      const step = await getStep(tx, { orgId: stalled.orgId, stepId: stalled.id });
      if (
        !step?.claimToken ||
        step.status !== 'running' ||
        !step.leaseExpiresAt ||
        step.leaseExpiresAt >= now ||
        !isRunActive(run.status)
      ) {
        return { outcome: 'skipped' as const, step: null };
      }
      const key = { orgId: step.orgId, stepId: step.id, claimToken: step.claimToken };
      if (step.attempt >= step.maxAttempts) {
        const error = {
          code: 'worker_lost',
          message: `The worker running this step stopped responding ${step.attempt} times.`,
        };
        await updateClaimedStep(tx, {
          ...key,
          values: { status: 'failed', error, finishedAt: now, ...RELEASED_CLAIM },
        });
        emit('step.failed', { stepId: step.id, kind: step.kind, attempt: step.attempt, error });
        await endRun(change, { status: 'failed', error });
        return { outcome: 'failed' as const, step: null };
      }
      const requeued = await updateClaimedStep(tx, {
        ...key,
        values: { status: 'queued', ...RELEASED_CLAIM },
      });
      emit('step.retrying', { stepId: step.id, attempt: step.attempt, reason: 'worker_lost' });
      return { outcome: 'requeued' as const, step: requeued, run };
    },
  );
  if (value.outcome === 'failed') await publishRunCancel(deps.redis, stalled.runId, deps.log);
  if (value.outcome === 'requeued' && value.step && 'run' in value) {
    await enqueueSteps(deps, value.run, [value.step], deps.log);
  }
  return value.outcome;
}
