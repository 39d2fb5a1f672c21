import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '@switchyard/database';
import { createRedis, type Redis } from '@switchyard/shared';
import { TEST_REDIS_URL } from '../engine/testing/engine-harness';
import { publishRunEvents } from './publish-run-events';
import { runEventsChannel, type PublishedRunEvent } from './run-event-types';

describe('publishRunEvents', () => {
  let redis: Redis;
  let subscriber: Redis;

  beforeAll(() => {
    redis = createRedis(TEST_REDIS_URL, { name: 'publish-test' });
    subscriber = createRedis(TEST_REDIS_URL, { name: 'publish-test-subscriber' });
  });
  afterAll(async () => {
    await Promise.allSettled([redis?.quit(), subscriber?.quit()]);
  });

  const event = (runId: string, seq: number): RunEvent => ({
    runId,
    orgId: randomUUID(),
    seq,
    type: 'step.started',
    data: { seq },
    createdAt: new Date(),
  });

  it('sends the publishes of one event-loop turn as one pipeline, in order', async () => {
    const runId = randomUUID();
    const received: number[] = [];
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === runEventsChannel(runId)) {
        received.push((JSON.parse(message) as PublishedRunEvent).seq);
      }
    });
    await subscriber.subscribe(runEventsChannel(runId));
    const pipelines = vi.spyOn(redis, 'pipeline');
    const log = { warn: vi.fn() };

    // Three calls in one turn: one pipeline; one call in a later turn: another.
    await Promise.all([
      publishRunEvents(redis, [event(runId, 1), event(runId, 2)], log),
      publishRunEvents(redis, [event(runId, 3)], log),
      publishRunEvents(redis, [], log),
      publishRunEvents(redis, [event(runId, 4)], log),
    ]);
    expect(pipelines).toHaveBeenCalledTimes(1);
    await publishRunEvents(redis, [event(runId, 5)], log);
    expect(pipelines).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(received).toEqual([1, 2, 3, 4, 5]));
    expect(log.warn).not.toHaveBeenCalled();
    pipelines.mockRestore();
  });

  it('never throws: events it cannot encode are logged, not thrown', async () => {
    const log = { warn: vi.fn() };
    const bad = { ...event(randomUUID(), 1), data: { big: 1n } };
    await expect(publishRunEvents(redis, [bad], log)).resolves.toBeUndefined();
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});
