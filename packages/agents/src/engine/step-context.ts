import {
  listSucceededStepsById,
  updateClaimedStep,
  type Run,
  type Step,
  type StepUpdate,
} from '@switchyard/database';
import type { Logger } from '@switchyard/shared';
import { recordRunChange, type RunChangeContext } from '../events/record-run-change';
import type { EngineDeps } from './engine-deps';
import { isRunActive } from './run-states';
import { LostClaimError } from './step-errors';

/** One claimed execution of one step. */
export type StepContext = {
  deps: EngineDeps;
  /** The step as claimed. */
  step: Step;
  /** The run as it was when the step was claimed. */
  run: Run;
  claimToken: string;
  /** The step's succeeded dependencies, when the claim read them (see `succeededDependencies`). */
  dependencies?: Step[];
  /** Fires on cancel, timeout or a lost claim. */
  signal: AbortSignal;
  log: Logger;
};

/**
 * Changes the claimed step (and, through `work`, anything else of the run) in one run-locked
 * transaction with its events. Throws `LostClaimError` when the run ended or the claim is gone, so
 * a worker that lost its step never overwrites the work of the one that holds it now.
 */
export async function changeClaimedStep<T>(
  context: StepContext,
  values: StepUpdate,
  work?: (change: RunChangeContext & { step: Step }) => Promise<T>,
): Promise<{ step: Step; value: T | undefined }> {
  const { step } = context;
  const { value } = await recordRunChange<{ step: Step; value: T | undefined }, Step | null>(
    context.deps,
    { orgId: step.orgId, runId: step.runId },
    async ({ ahead, ...change }) => {
      const updated = await ahead;
      // A run that ended cancelled the step, so its claim is gone too; both checked anyway.
      if (!isRunActive(change.run.status) || !updated) throw new LostClaimError(step.id);
      const result = work ? await work({ ...change, step: updated }) : undefined;
      return { step: updated, value: result };
    },
    // Sent with the run's lock, in one write.
    (tx) =>
      updateClaimedStep(tx, {
        orgId: step.orgId,
        stepId: step.id,
        claimToken: context.claimToken,
        values,
      }),
  );
  return value;
}

/**
 * The succeeded steps the step depends on, in creation order: those the claim read with it, else
 * read now (a claim through the run-locked path).
 */
export async function succeededDependencies(context: StepContext): Promise<Step[]> {
  if (context.dependencies) return context.dependencies;
  const { step } = context;
  return listSucceededStepsById(context.deps.db, {
    orgId: step.orgId,
    runId: step.runId,
    stepIds: step.dependsOn,
  });
}
