import type { RunEvent } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import { RUN_CANCEL_CHANNEL, runEventsChannel, toPublishedRunEvent } from './run-event-types';

/** Publishes waiting for the connection's next flush, and the loggers to tell of a failure. */
type PendingPublishes = {
  messages: [channel: string, message: string][];
  logs: Set<Pick<Logger, 'warn'>>;
  flushed: Promise<void>;
};

const pending = new WeakMap<Redis, PendingPublishes>();

/**
 * Publishes committed events for live delivery. Never throws: Postgres holds every event, so a
 * subscriber that misses one (Redis down, a publish lost) reads it back by sequence number.
 *
 * Publishes made on one connection in the same turn of the event loop (the steps of one group
 * commit finish together) go out as one pipeline, in the order they were made, in one write;
 * each call resolves when that pipeline has been answered.
 */
export function publishRunEvents(
  redis: Redis,
  events: readonly RunEvent[],
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  let batch = pending.get(redis);
  if (!batch) {
    const messages: PendingPublishes['messages'] = [];
    const logs: PendingPublishes['logs'] = new Set();
    const flushed = new Promise<void>((resolve) => {
      setImmediate(() => {
        pending.delete(redis);
        void flush(redis, messages, logs).then(resolve);
      });
    });
    batch = { messages, logs, flushed };
    pending.set(redis, batch);
  }
  try {
    const messages = events.map((event): [string, string] => [
      runEventsChannel(event.runId),
      JSON.stringify(toPublishedRunEvent(event)),
    ]);
    batch.messages.push(...messages);
    batch.logs.add(log);
  } catch (error) {
    log.warn({ err: error }, 'publishing run events failed; subscribers catch up from Postgres');
  }
  return batch.flushed;
}

async function flush(
  redis: Redis,
  messages: PendingPublishes['messages'],
  logs: PendingPublishes['logs'],
): Promise<void> {
  try {
    const pipeline = redis.pipeline();
    for (const [channel, message] of messages) pipeline.publish(channel, message);
    await pipeline.exec();
  } catch (error) {
    for (const log of logs) {
      log.warn({ err: error }, 'publishing run events failed; subscribers catch up from Postgres');
    }
  }
}

/** Tells every worker to abort the run's work in flight. Never throws (see `cancelRun`). */
export async function publishRunCancel(
  redis: Redis,
  runId: string,
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  try {
    await redis.publish(RUN_CANCEL_CHANNEL, runId);
  } catch (error) {
    log.warn(
      { err: error, runId },
      'publishing a run cancel failed; workers stop at their next checkpoint',
    );
  }
}
