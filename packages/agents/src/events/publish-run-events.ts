import type { RunEvent } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import { RUN_CANCEL_CHANNEL, runEventsChannel, toPublishedRunEvent } from './run-event-types';

/**
 * Publishes committed events for live delivery. Never throws: Postgres holds every event, so a
 * subscriber that misses one (Redis down, a publish lost) reads it back by sequence number.
 */
export async function publishRunEvents(
  redis: Redis,
  events: readonly RunEvent[],
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  if (events.length === 0) return;
  try {
    const pipeline = redis.pipeline();
    for (const event of events) {
      pipeline.publish(runEventsChannel(event.runId), JSON.stringify(toPublishedRunEvent(event)));
    }
    await pipeline.exec();
  } catch (error) {
    log.warn({ err: error }, 'publishing run events failed; subscribers catch up from Postgres');
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
