import { randomUUID } from 'node:crypto';
import {
  claimStep,
  claimStepWithEvents,
  getStep,
  updateRun,
  updateStep,
  type Run,
  type Step,
} from '@switchyard/database';
import { publishRunEvents } from '../events/publish-run-events';
import { recordRunChange } from '../events/record-run-change';
import type { StepJobData } from '../queue/run-queue';
import type { EngineDeps } from './engine-deps';
import { isRunActive } from './run-states';

export type ClaimResult =
  | {
      kind: 'claimed';
      step: Step;
      run: Run;
      claimToken: string;
      /** The step's succeeded dependencies, when the claim read them (the usual path). */
      dependencies?: Step[];
    }
  | { kind: 'skipped'; reason: string }
  | { kind: 'busy'; retryInMs: number };

/** Slack added to another holder's remaining lease before trying again. */
const BUSY_SLACK_MS = 1_000;

/**
 * Claims the step for this worker under the run lock. A step of a run that ended is cancelled
 * instead; a step another worker holds under a live lease is `busy` (try again after it).
 */
export async function claimStepForExecution(
  job: StepJobData,
  deps: EngineDeps,
): Promise<ClaimResult> {
  const claimToken = randomUUID();
  const claimParams = {
    orgId: job.orgId,
    runId: job.runId,
    stepId: job.stepId,
    workerId: deps.settings.workerId,
    claimToken,
    leaseMs: deps.settings.leaseMs,
  };
  // The usual case in one statement: the run is live and the step claimable.
  const fast = await claimStepWithEvents(deps.db, claimParams);
  if (fast) {
    // Not awaited: it never rejects, and the step's later events go out after it on the same
    // connection.
    void publishRunEvents(deps.redis, fast.events, deps.log);
    return {
      kind: 'claimed',
      step: fast.step,
      run: fast.run,
      claimToken,
      dependencies: fast.dependencies,
    };
  }
  // Otherwise under the run lock, telling an ended run, a busy step and a done one apart.
  const { value } = await recordRunChange<ClaimResult, Step | null>(
    deps,
    { orgId: job.orgId, runId: job.runId },
    async ({ tx, run, emit, ahead }): Promise<ClaimResult> => {
      // Never claimed when the run ended (the claim checks the run itself).
      const step = await ahead;
      if (!isRunActive(run.status)) {
        await updateStep(tx, {
          orgId: job.orgId,
          stepId: job.stepId,
          statuses: ['queued'],
          values: { status: 'cancelled', finishedAt: new Date() },
        });
        return { kind: 'skipped', reason: `run ${run.status}` };
      }
      if (!step || step.runId !== run.id) {
        if (step) throw new Error(`step ${step.id} is not of run ${run.id}`);
        const current = await getStep(tx, { orgId: job.orgId, stepId: job.stepId });
        if (current?.status === 'running' && current.leaseExpiresAt) {
          const remaining = current.leaseExpiresAt.getTime() - Date.now();
          return { kind: 'busy', retryInMs: Math.max(remaining, 0) + BUSY_SLACK_MS };
        }
        return { kind: 'skipped', reason: current ? `step ${current.status}` : 'step not found' };
      }
      let current = run;
      if (run.status === 'queued') {
        const now = new Date();
        current =
          (await updateRun(tx, {
            orgId: run.orgId,
            runId: run.id,
            statuses: ['queued'],
            values: { status: 'running', startedAt: now, heartbeatAt: now },
          })) ?? run;
        emit('run.started', { status: 'running' });
      }
      emit('step.started', {
        stepId: step.id,
        kind: step.kind,
        attempt: step.attempt,
        agentId: step.agentId,
        agentVersion: step.agentVersion,
        ...(typeof step.input.subtaskId === 'string' ? { subtaskId: step.input.subtaskId } : {}),
        workerId: deps.settings.workerId,
      });
      return { kind: 'claimed', step, run: current, claimToken };
    },
    // The claim travels with the run's lock, in one write.
    (tx) => claimStep(tx, claimParams),
  );
  return value;
}
