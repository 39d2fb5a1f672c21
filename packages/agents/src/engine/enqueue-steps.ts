import type { Run, Step } from '@switchyard/database';
import type { Logger } from '@switchyard/shared';
import type { EnqueueStepOptions, RunQueue } from '../queue/run-queue';

/**
 * Enqueues steps already `queued` in Postgres. A failure is logged, not thrown: the step stays
 * queued in Postgres and the reaper enqueues it again.
 */
export async function enqueueSteps(
  deps: { queue: RunQueue },
  run: Pick<Run, 'id' | 'orgId' | 'priority'>,
  steps: readonly Pick<Step, 'id'>[],
  log: Pick<Logger, 'warn'>,
  options: Pick<EnqueueStepOptions, 'isNew'> = {},
): Promise<void> {
  await Promise.all(
    steps.map(async (step) => {
      try {
        await deps.queue.enqueueStep(
          { stepId: step.id, runId: run.id, orgId: run.orgId },
          { priority: run.priority, ...options },
        );
      } catch (error) {
        log.warn({ err: error, stepId: step.id }, 'enqueueing a step failed; the reaper retries');
      }
    }),
  );
}
