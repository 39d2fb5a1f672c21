import {
  completeStepWithEvents,
  listRunSteps,
  queueReadySteps,
  updateClaimedStep,
  type RunError,
} from '@switchyard/database';
import type { BudgetVerdict } from '../budgets/check-budget';
import { recordRunChange } from '../events/record-run-change';
import { publishRunCancel, publishRunEvents } from '../events/publish-run-events';
import { outputText } from './build-step-messages';
import type { DeferredModelCall } from './call-model';
import { endRun } from './end-run';
import { enqueueSteps } from './enqueue-steps';
import { partialResult } from './partial-result';
import { changeClaimedStep, type StepContext } from './step-context';
import { LostClaimError } from './step-errors';
import type { StepWork } from './step-work';

const RELEASED_CLAIM = { claimToken: null, claimedBy: null, leaseExpiresAt: null } as const;

/**
 * Marks the step succeeded with its output, runs its follow-up (new steps), queues the steps that
 * became ready (fan-in: all their dependencies succeeded) and, when nothing is left to do, ends
 * the run with this step's output as its result. Then enqueues the ready steps.
 */
export async function completeStep(
  context: StepContext,
  work: Extract<StepWork, { kind: 'succeeded' }>,
): Promise<void> {
  // The usual completion (a final answer, no new steps) in one statement; the run-locked path
  // below does everything else, and reports a lost claim.
  if (
    work.finalCall &&
    !work.followUp &&
    (await completeInOneStatement(context, work.output, work.finalCall))
  ) {
    return;
  }
  const { value: ready = [] } = await changeClaimedStep(
    context,
    {
      ...work.finalCall?.values,
      status: 'succeeded',
      output: work.output,
      error: null,
      finishedAt: new Date(),
      ...RELEASED_CLAIM,
    },
    async (change) => {
      const { tx, step, emit } = change;
      const key = { orgId: step.orgId, runId: step.runId };
      // The answer's model call, checkpointed with the completion (its events come first).
      const recording = work.finalCall?.record(change);
      // Without a follow-up adding steps, the ready steps are asked for in the same write.
      const readyNow = work.followUp ? undefined : queueReadySteps(tx, key);
      readyNow?.catch(() => undefined);
      await recording;
      emit('step.succeeded', { stepId: step.id, kind: step.kind, usage: step.usage });
      await work.followUp?.(change);
      const queued = await (readyNow ?? queueReadySteps(tx, key));
      if (queued.length === 0) {
        const live = await listRunSteps(tx, {
          ...key,
          statuses: ['pending', 'queued', 'running', 'waiting_for_approval'],
        });
        if (live.length === 0) {
          const data = work.output.data;
          await endRun(change, {
            stepsSettled: true,
            status: 'succeeded',
            result: {
              output: outputText(work.output),
              ...(data === undefined ? {} : { data }),
              stepId: step.id,
            },
          });
        }
      }
      return queued;
    },
  );
  // Steps that just left `pending` never had a job.
  await enqueueSteps(context.deps, context.run, ready, context.log, { isNew: true });
}

async function completeInOneStatement(
  context: StepContext,
  output: Record<string, unknown>,
  finalCall: DeferredModelCall,
): Promise<boolean> {
  const { step, deps } = context;
  const { values, stored } = finalCall;
  const data = output.data;
  const done = await completeStepWithEvents(deps.db, {
    orgId: step.orgId,
    runId: step.runId,
    stepId: step.id,
    claimToken: context.claimToken,
    output,
    checkpoint: values.checkpoint,
    usage: values.usage,
    modelCall: stored.modelCall,
    usageRecord: stored.usageRecord,
    modelCalls: stored.modelCalls,
    events: [
      ...stored.events,
      { type: 'step.succeeded', data: { stepId: step.id, kind: step.kind, usage: values.usage } },
    ],
    result: {
      output: outputText(output),
      ...(data === undefined ? {} : { data }),
      stepId: step.id,
    },
  });
  if (!done) return false;
  // Both after the commit, neither before the other (subscribers fill a gap from Postgres), and
  // neither throws. Steps that just left `pending` never had a job.
  await Promise.all([
    publishRunEvents(deps.redis, done.events, context.log),
    enqueueSteps(deps, context.run, done.ready, context.log, { isNew: true }),
  ]);
  return true;
}

/** Fails the step and its run (the other steps are cancelled and told to stop). */
export async function failStep(context: StepContext, error: RunError): Promise<void> {
  await endWithStep(context, error, async (change) => {
    if (error.code === 'invalid_plan') {
      change.emit('plan.rejected', { stepId: context.step.id, errors: error.errors ?? [] });
    }
    await endRun(change, { status: 'failed', error });
  });
}

/**
 * Stops the run before the model call that would cross its budget: the step fails with
 * `budget_exceeded`, and the run keeps what was done so far as a partial result.
 */
export async function stopForBudget(
  context: StepContext,
  verdict: Extract<BudgetVerdict, { ok: false }>,
): Promise<void> {
  const error: RunError = {
    code: 'budget_exceeded',
    message: verdict.message,
    limit: verdict.limit,
  };
  await endWithStep(context, error, async (change) => {
    change.emit('budget.exceeded', {
      stepId: context.step.id,
      limit: verdict.limit,
      used: verdict.used,
      max: verdict.max,
    });
    const steps = await listRunSteps(change.tx, {
      orgId: context.step.orgId,
      runId: context.step.runId,
    });
    await endRun(change, {
      status: 'failed',
      stopReason: 'budget_exceeded',
      error,
      result: partialResult(steps, context.step.id),
    });
  });
}

/** Puts the step back in the queue after a transient failure (BullMQ retries it with backoff). */
export async function retryStepLater(context: StepContext, error: RunError): Promise<void> {
  await changeClaimedStep(
    context,
    { status: 'queued', error, ...RELEASED_CLAIM },
    async ({ emit, step }) => {
      emit('step.retrying', { stepId: step.id, attempt: step.attempt, error });
    },
  );
}

/**
 * Gives the step back to the queue to wait (a provider's rate limit), keeping its checkpoint. The
 * claim does not count as an attempt: waiting out a rate limit never fails a step.
 */
export async function releaseStep(context: StepContext, delayMs: number): Promise<void> {
  const values = {
    status: 'queued' as const,
    attempt: Math.max(context.step.attempt - 1, 0),
    ...RELEASED_CLAIM,
  };
  await changeClaimedStep(context, values, async ({ emit, step }) => {
    emit('step.retrying', { stepId: step.id, reason: 'rate_limited', delayMs });
  });
}

async function endWithStep(
  context: StepContext,
  error: RunError,
  end: Parameters<typeof recordRunChange>[2],
): Promise<void> {
  const { step } = context;
  await recordRunChange(context.deps, { orgId: step.orgId, runId: step.runId }, async (change) => {
    const failed = await updateClaimedStep(change.tx, {
      orgId: step.orgId,
      stepId: step.id,
      claimToken: context.claimToken,
      values: { status: 'failed', error, finishedAt: new Date(), ...RELEASED_CLAIM },
    });
    if (!failed) throw new LostClaimError(step.id);
    change.emit('step.failed', { stepId: step.id, kind: step.kind, attempt: step.attempt, error });
    await end(change);
  });
  await publishRunCancel(context.deps.redis, step.runId, context.log);
}
