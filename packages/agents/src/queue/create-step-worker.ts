import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '@switchyard/shared';
import type { EngineDeps } from '../engine/engine-deps';
import { executeStep, type ExecuteStepOutcome } from '../engine/execute-step';
import type { ActiveStepTracker } from './active-step-tracker';
import { STEPS_QUEUE, stepJobDataSchema, type StepJobData } from './run-queue';

export type CreateStepWorkerOptions = {
  connection: ConnectionOptions;
  /** BullMQ key prefix (`QUEUE_PREFIX`). */
  prefix?: string;
  /** Steps this process executes at once (`STEP_CONCURRENCY`). */
  concurrency: number;
  engine: EngineDeps;
  log: Logger;
  /** Start taking jobs at once; false (the default) waits for `worker.run()`. */
  autorun?: boolean;
  /**
   * BullMQ's job lock and stalled-check interval (`STEP_LEASE_MS`; BullMQ's 30 s by default): how
   * soon the job of a worker that died goes back to the queue for another worker. Until then the
   * job stays active and the reaper leaves its step alone.
   */
  lockDurationMs?: number;
  /** Told when each step execution starts and ends (the process's heartbeat lists them). */
  activeSteps?: ActiveStepTracker;
};

/**
 * The BullMQ worker of the `steps` queue: each job executes one step (`executeStep`), and the
 * outcome maps onto BullMQ: a transient failure throws (retry with backoff), a permanent one
 * throws `UnrecoverableError`, a wait (org at its concurrency limit, provider rate limit) moves
 * the job to delayed without counting an attempt, everything else completes the job.
 */
export function createStepWorker(options: CreateStepWorkerOptions): Worker<StepJobData> {
  const processor = async (job: Job<StepJobData>, token?: string): Promise<ExecuteStepOutcome> => {
    const parsed = stepJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid ${job.name} payload`);
    const log = options.log.child({
      queue: STEPS_QUEUE,
      jobId: job.id,
      stepId: parsed.data.stepId,
    });
    const ended = options.activeSteps?.start(parsed.data);
    let outcome: ExecuteStepOutcome;
    try {
      outcome = await executeStep(parsed.data, options.engine);
    } finally {
      ended?.();
    }
    switch (outcome.kind) {
      case 'retry':
        log.warn({ error: outcome.error }, 'step will be retried');
        throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
      case 'failed':
        throw new UnrecoverableError(`${outcome.error.code}: ${outcome.error.message}`);
      case 'delayed':
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      default:
        log.debug({ outcome: outcome.kind }, 'step job done');
        return outcome;
    }
  };
  const worker = new Worker<StepJobData, ExecuteStepOutcome>(STEPS_QUEUE, processor, {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    concurrency: options.concurrency,
    autorun: options.autorun ?? false,
    ...(options.lockDurationMs === undefined
      ? {}
      : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
  });
  return worker;
}
