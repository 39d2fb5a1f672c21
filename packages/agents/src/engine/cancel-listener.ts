import type { Logger, Redis } from '@switchyard/shared';
import { RUN_CANCEL_CHANNEL } from '../events/run-event-types';

/** Reason given to the AbortController of a step whose run was cancelled. */
export const RUN_CANCELLED = 'run_cancelled';

/**
 * Aborts the in-flight work of cancelled runs on this process: `cancelRun` publishes the run id
 * on `run-cancel`; every worker's listener aborts the controllers registered for that run.
 */
export type CancelListener = {
  /** Registers a step's controller until the returned function is called. */
  register(runId: string, controller: AbortController): () => void;
  /** Resolves once subscribed, so a cancel published afterwards is seen. */
  ready: Promise<void>;
  close(): Promise<void>;
};

/** `subscriber` must be a connection of its own: a subscribed connection runs no other command. */
export function createCancelListener(options: {
  subscriber: Redis;
  log: Pick<Logger, 'warn'>;
}): CancelListener {
  const controllers = new Map<string, Set<AbortController>>();
  const { subscriber } = options;
  const onMessage = (channel: string, runId: string) => {
    if (channel !== RUN_CANCEL_CHANNEL) return;
    for (const controller of controllers.get(runId) ?? []) controller.abort(RUN_CANCELLED);
  };
  subscriber.on('message', onMessage);
  // Subscribing while the connection's handshake runs makes ioredis send its ready check on a
  // connection already in subscriber mode (redis/ioredis#2037): wait for `ready` first.
  // Not `events.once`: a connection error before `ready` must not end the wait, ioredis retries.
  const connected = new Promise<void>((resolve) => {
    if (subscriber.status === 'ready') resolve();
    else subscriber.once('ready', () => resolve());
  });
  const ready = connected
    .then(() => subscriber.subscribe(RUN_CANCEL_CHANNEL))
    .then(
      () => undefined,
      (error: unknown) => {
        options.log.warn({ err: error }, 'subscribing to run cancels failed');
      },
    );
  return {
    register(runId, controller) {
      let set = controllers.get(runId);
      if (!set) {
        set = new Set();
        controllers.set(runId, set);
      }
      set.add(controller);
      return () => {
        set.delete(controller);
        if (set.size === 0 && controllers.get(runId) === set) controllers.delete(runId);
      };
    },
    ready,
    async close() {
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(RUN_CANCEL_CHANNEL).catch(() => undefined);
    },
  };
}
