import type { Worker } from 'bullmq';
import type { Logger } from '@switchyard/shared';
import { settleWithin } from './settle-within';

export type CloseWorkerGracefullyOptions = {
  /** How long active jobs may keep running before the close is forced. */
  timeoutMs: number;
  log: Logger;
};

/**
 * Stops a worker taking new jobs, lets its active jobs finish for up to `timeoutMs`, then closes
 * it, forcing the close when jobs are still running. A job cut off that way stays `active` in
 * Redis; once its lock expires, BullMQ's stalled-job check (in any worker) puts it back in the
 * queue.
 *
 * The wait is `worker.pause()` rather than `worker.close()` because `close()` memoises its first
 * call: a later `close(true)` would return the same pending promise instead of forcing.
 */
export async function closeWorkerGracefully(
  worker: Worker,
  options: CloseWorkerGracefullyOptions,
): Promise<{ forced: boolean }> {
  const drain = worker.pause().catch((error: unknown) => {
    options.log.error({ err: error }, 'waiting for active jobs failed');
    throw error;
  });
  const drained = (await settleWithin(drain, options.timeoutMs)) && (await isFulfilled(drain));
  if (!drained) {
    options.log.warn(
      { timeoutMs: options.timeoutMs },
      'active jobs did not finish before the shutdown deadline; forcing close, they return to the queue once their lock expires',
    );
  }
  await worker.close(!drained);
  return { forced: !drained };
}

function isFulfilled(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}
