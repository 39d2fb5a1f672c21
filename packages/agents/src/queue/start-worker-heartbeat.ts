import type { Logger, Redis } from '@switchyard/shared';
import { removeWorkerHeartbeat, writeWorkerHeartbeat, type WorkerRecord } from './worker-registry';

/** The default heartbeat interval of a workers process. */
export const WORKER_HEARTBEAT_INTERVAL_MS = 5_000;

export type StartWorkerHeartbeatOptions = {
  redis: Redis;
  /** BullMQ key prefix (`QUEUE_PREFIX`): the registry lives under it. */
  prefix: string;
  /** What the process is and does now, read at every beat. */
  snapshot: () => Omit<WorkerRecord, 'lastHeartbeatAt' | 'heartbeatIntervalMs'>;
  intervalMs?: number;
  log: Pick<Logger, 'warn'>;
};

export type WorkerHeartbeat = {
  /** Resolves once the first beat was written (or failed, which is logged). */
  ready: Promise<void>;
  /** Stops beating and removes the record. Safe to call more than once. */
  stop(): Promise<void>;
};

/**
 * Writes the process's heartbeat record now and every `intervalMs`. A beat never overlaps the
 * previous one (Redis down: one pending write, not a pile), and a failed beat is logged once
 * until one succeeds again.
 */
export function startWorkerHeartbeat(options: StartWorkerHeartbeatOptions): WorkerHeartbeat {
  const intervalMs = options.intervalMs ?? WORKER_HEARTBEAT_INTERVAL_MS;
  let inFlight: Promise<void> | null = null;
  let failing = false;
  let stopped = false;

  const beat = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    inFlight ??= writeWorkerHeartbeat(options.redis, {
      prefix: options.prefix,
      record: {
        ...options.snapshot(),
        lastHeartbeatAt: new Date().toISOString(),
        heartbeatIntervalMs: intervalMs,
      },
    })
      .then(
        () => {
          failing = false;
        },
        (error: unknown) => {
          if (!failing) options.log.warn({ err: error }, 'writing the worker heartbeat failed');
          failing = true;
        },
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const ready = beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();

  let stopping: Promise<void> | undefined;
  return {
    ready,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(timer);
        await inFlight;
        await removeWorkerHeartbeat(options.redis, {
          prefix: options.prefix,
          workerId: options.snapshot().id,
        }).catch((error: unknown) => {
          options.log.warn({ err: error }, 'removing the worker heartbeat failed');
        });
      })();
      return stopping;
    },
  };
}
