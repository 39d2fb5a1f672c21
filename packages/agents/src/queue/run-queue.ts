import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '@switchyard/shared';

/** The BullMQ queue executing run steps; job id = step id. */
export const STEPS_QUEUE = 'steps';
export const EXECUTE_STEP_JOB = 'execute-step';

/** What a `steps` job carries: ids only, Postgres holds the rest. */
export const stepJobDataSchema = z.object({
  stepId: z.uuid(),
  runId: z.uuid(),
  orgId: z.uuid(),
});
export type StepJobData = z.infer<typeof stepJobDataSchema>;

/** Most urgent and least urgent run priority (BullMQ: a lower number runs first). */
export const RUN_PRIORITY_RANGE = { highest: 1, lowest: 10 } as const;

export type EnqueueStepOptions = {
  /** The run's priority, 1 (most urgent) to 10. */
  priority: number;
  /** Start no earlier than this many ms from now. */
  delayMs?: number;
  /**
   * The step never had a job (it was just created, or just left `pending`): its job is added
   * without first asking BullMQ for the state of an earlier one, saving a round trip.
   */
  isNew?: boolean;
};

/** Enqueues step ids for workers. Domain code sees only this interface. */
export type RunQueue = {
  /**
   * Makes sure a job for the step is waiting: a no-op while one is waiting or delayed (job id =
   * step id), and a fresh job when the previous one for the same step has finished.
   */
  enqueueStep(step: StepJobData, options: EnqueueStepOptions): Promise<void>;
  /** Drops a waiting job of the step (a cancelled run); an active one is left to finish. */
  removeStepJob(stepId: string): Promise<void>;
  /** BullMQ's state of the step's job, `unknown` when there is none. */
  getStepJobState(stepId: string): Promise<string>;
  close(): Promise<void>;
};

export type CreateRunQueueOptions = {
  connection: ConnectionOptions;
  /** BullMQ key prefix (`QUEUE_PREFIX`). */
  prefix?: string;
  /** Retries of a step after a transient failure, with exponential backoff from `backoffMs`. */
  attempts?: number;
  backoffMs?: number;
  /** Receives connection errors (Redis down); they are otherwise dropped. */
  log?: Pick<Logger, 'warn'>;
};

const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);
/** How long `enqueueStep` waits for the previous job of a step to leave the active state. */
const ACTIVE_WAIT_ROUNDS = 40;
const ACTIVE_WAIT_MS = 50;

export function createRunQueue(options: CreateRunQueueOptions): RunQueue & { queue: Queue } {
  const queue = new Queue<StepJobData>(STEPS_QUEUE, {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  // Without a listener a connection error would surface as an unhandled rejection.
  queue.on('error', (error) => options.log?.warn({ err: error }, 'steps queue error'));
  const jobOptions: JobsOptions = {
    attempts: options.attempts ?? 4,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };

  const add = (step: StepJobData, enqueue: EnqueueStepOptions) =>
    queue.add(EXECUTE_STEP_JOB, step, {
      ...jobOptions,
      jobId: step.stepId,
      priority: clampPriority(enqueue.priority),
      ...(enqueue.delayMs && enqueue.delayMs > 0 ? { delay: Math.ceil(enqueue.delayMs) } : {}),
    });

  return {
    queue,
    async enqueueStep(step, enqueue) {
      if (enqueue.isNew) {
        await add(step, enqueue);
        return;
      }
      for (let round = 0; round <= ACTIVE_WAIT_ROUNDS; round += 1) {
        const state = await queue.getJobState(step.stepId);
        if (WAITING_STATES.has(state)) return;
        if (state === 'unknown') {
          await add(step, enqueue);
          return;
        }
        if (state === 'completed' || state === 'failed') {
          // A finished job keeps its id; it must go before the step can be queued again.
          await queue.remove(step.stepId);
          continue;
        }
        // Active: the previous execution of this step (which parked or released it) is
        // finishing; its job leaves the active state in moments.
        await sleep(ACTIVE_WAIT_MS);
      }
      throw new Error(
        `step ${step.stepId} still has an active job; the reaper re-enqueues it once it finishes`,
      );
    },
    async removeStepJob(stepId) {
      const state = await queue.getJobState(stepId);
      if (WAITING_STATES.has(state)) await queue.remove(stepId);
    },
    getStepJobState: (stepId) => queue.getJobState(stepId),
    close: () => queue.close(),
  };
}

function clampPriority(priority: number): number {
  const value = Number.isFinite(priority) ? Math.trunc(priority) : 5;
  return Math.min(Math.max(value, RUN_PRIORITY_RANGE.highest), RUN_PRIORITY_RANGE.lowest);
}
