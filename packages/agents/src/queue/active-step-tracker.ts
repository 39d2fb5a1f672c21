import type { StepJobData } from './run-queue';

/** A step a worker process is executing right now. */
export type ActiveStep = StepJobData & { startedAt: string };

/** The steps one process is executing, for its heartbeat (see `worker-registry.ts`). */
export type ActiveStepTracker = {
  /** Records that the step started; call the returned function when its execution ends. */
  start(step: StepJobData): () => void;
  list(): ActiveStep[];
};

export function createActiveStepTracker(now: () => Date = () => new Date()): ActiveStepTracker {
  // Keyed by a token per execution, not the step id: a step's next execution may start in this
  // process before the end of the previous one is recorded.
  const active = new Map<symbol, ActiveStep>();
  return {
    start(step) {
      const token = Symbol(step.stepId);
      active.set(token, {
        stepId: step.stepId,
        runId: step.runId,
        orgId: step.orgId,
        startedAt: now().toISOString(),
      });
      return () => {
        active.delete(token);
      };
    },
    list: () => [...active.values()],
  };
}
