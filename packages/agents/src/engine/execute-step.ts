import { getRun, type RunError } from '@switchyard/database';
import type { StepJobData } from '../queue/run-queue';
import { RUN_CANCELLED } from './cancel-listener';
import { claimStepForExecution } from './claim-step-for-execution';
import type { EngineDeps } from './engine-deps';
import { executeAgentTurn } from './execute-agent-turn';
import { executePlanStep } from './execute-plan-step';
import { executeSynthesisStep } from './execute-synthesis-step';
import { completeStep, failStep, releaseStep, retryStepLater, stopForBudget } from './finish-step';
import { LOST_CLAIM, startHeartbeat } from './heartbeat';
import { isRunActive } from './run-states';
import type { StepContext } from './step-context';
import {
  BudgetExceededError,
  LostClaimError,
  PermanentStepError,
  StepDelayError,
  TransientStepError,
} from './step-errors';
import type { StepWork } from './step-work';

/** How one execution of a step ended; the queue worker maps it onto BullMQ. */
export type ExecuteStepOutcome =
  | { kind: 'succeeded' }
  /** Waiting for an approval; no worker holds it. */
  | { kind: 'parked' }
  | { kind: 'failed'; error: RunError }
  /** The run stopped before crossing its budget. */
  | { kind: 'stopped'; stopReason: 'budget_exceeded' }
  | { kind: 'cancelled' }
  /** Another worker holds the step now; this one stopped without writing. */
  | { kind: 'lost_claim' }
  /** Nothing to do: the step is not queued (done, cancelled, waiting) or its run ended. */
  | { kind: 'skipped'; reason: string }
  /** A transient failure; the step is queued again and should be retried with backoff. */
  | { kind: 'retry'; error: RunError }
  /** Try again after `delayMs`, without counting a failure. */
  | {
      kind: 'delayed';
      delayMs: number;
      reason: 'org_concurrency' | 'rate_limited' | 'claimed_elsewhere';
    };

/**
 * Executes one step (the job of the `steps` queue): takes an org concurrency slot, claims the
 * step, runs it under a heartbeat with cancel/timeout aborts, and records the outcome in
 * Postgres. Database failures while recording are thrown: the step keeps its claim until the
 * lease expires and is then retried from its last checkpoint, like after a crash.
 */
export async function executeStep(job: StepJobData, deps: EngineDeps): Promise<ExecuteStepOutcome> {
  const log = deps.log.child({ stepId: job.stepId, runId: job.runId, orgId: job.orgId });
  const { orgConcurrency } = deps;
  if (orgConcurrency && !(await orgConcurrency.tryAcquire(job.orgId, job.stepId))) {
    const jitter = Math.floor(Math.random() * deps.settings.orgLimitDelayMs);
    return {
      kind: 'delayed',
      reason: 'org_concurrency',
      delayMs: deps.settings.orgLimitDelayMs + jitter,
    };
  }
  try {
    const claim = await claimStepForExecution(job, deps);
    if (claim.kind === 'skipped') return claim;
    if (claim.kind === 'busy') {
      return { kind: 'delayed', reason: 'claimed_elsewhere', delayMs: claim.retryInMs };
    }
    return await runClaimedStep({
      ...claim,
      deps,
      log: log.child({ attempt: claim.step.attempt }),
    });
  } finally {
    await orgConcurrency?.release(job.orgId, job.stepId).catch((error: unknown) => {
      log.warn({ err: error }, 'releasing the org concurrency slot failed; it expires by itself');
    });
  }
}

async function runClaimedStep(params: Omit<StepContext, 'signal'>): Promise<ExecuteStepOutcome> {
  const { deps, step, log } = params;
  const controller = new AbortController();
  const timeout = AbortSignal.timeout(deps.settings.stepTimeoutMs);
  const context: StepContext = { ...params, signal: AbortSignal.any([controller.signal, timeout]) };
  const unregister = deps.cancellation?.register(step.runId, controller);
  const heartbeat = startHeartbeat({
    deps,
    step,
    claimToken: params.claimToken,
    log,
    onLost: () => controller.abort(LOST_CLAIM),
  });
  try {
    if (step.attempt > step.maxAttempts) {
      throw new PermanentStepError({
        code: 'too_many_attempts',
        message: `The step was started ${step.attempt} times without finishing.`,
      });
    }
    const work = await dispatch(context);
    if (work.kind === 'parked') return { kind: 'parked' };
    await completeStep(context, work);
    return { kind: 'succeeded' };
  } catch (error) {
    return await settleFailure(context, error, { controller, timeout });
  } finally {
    heartbeat.stop();
    unregister?.();
  }
}

function dispatch(context: StepContext): Promise<StepWork> {
  switch (context.step.kind) {
    case 'plan':
      return executePlanStep(context);
    case 'agent_turn':
      return executeAgentTurn(context);
    case 'synthesis':
      return executeSynthesisStep(context);
    default:
      throw new PermanentStepError({
        code: 'not_executable',
        message: `A ${context.step.kind} step is not executed by workers.`,
      });
  }
}

async function settleFailure(
  context: StepContext,
  error: unknown,
  signals: { controller: AbortController; timeout: AbortSignal },
): Promise<ExecuteStepOutcome> {
  const { step, log } = context;
  try {
    const reason: unknown = signals.controller.signal.reason;
    if (signals.controller.signal.aborted && (reason === RUN_CANCELLED || reason === LOST_CLAIM)) {
      return await afterLostClaim(context);
    }
    if (error instanceof LostClaimError) return await afterLostClaim(context);
    if (error instanceof BudgetExceededError) {
      await stopForBudget(context, error.verdict);
      return { kind: 'stopped', stopReason: 'budget_exceeded' };
    }
    if (error instanceof StepDelayError) {
      await releaseStep(context, error.delayMs);
      return { kind: 'delayed', reason: 'rate_limited', delayMs: error.delayMs };
    }
    if (error instanceof PermanentStepError) {
      await failStep(context, error.error);
      return { kind: 'failed', error: error.error };
    }
    let runError: RunError;
    if (signals.timeout.aborted) {
      runError = {
        code: 'step_timeout',
        message: `The step did not finish within ${context.deps.settings.stepTimeoutMs} ms.`,
      };
    } else if (error instanceof TransientStepError) {
      runError = error.error;
    } else {
      log.error({ err: error }, 'step failed unexpectedly');
      runError = { code: 'internal', message: 'The step failed unexpectedly.' };
    }
    if (step.attempt < step.maxAttempts) {
      await retryStepLater(context, runError);
      return { kind: 'retry', error: runError };
    }
    const final = { ...runError, attempts: step.attempt };
    await failStep(context, final);
    return { kind: 'failed', error: final };
  } catch (settleError) {
    if (settleError instanceof LostClaimError) return afterLostClaim(context);
    throw settleError;
  }
}

/** The claim is gone: because the run ended (cancel, another step failed) or another worker. */
async function afterLostClaim(context: StepContext): Promise<ExecuteStepOutcome> {
  const run = await getRun(context.deps.db, {
    orgId: context.step.orgId,
    runId: context.step.runId,
  });
  return run && isRunActive(run.status) ? { kind: 'lost_claim' } : { kind: 'cancelled' };
}
