import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis, type Redis } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActiveStepTracker } from './active-step-tracker';
import { startWorkerHeartbeat } from './start-worker-heartbeat';
import { listWorkerHeartbeats, writeWorkerHeartbeat, type WorkerRecord } from './worker-registry';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = { warn: () => undefined };
let redis: Redis;

beforeAll(() => {
  redis = createRedis(REDIS_URL, { name: 'worker-registry-test' });
});

afterAll(async () => {
  await redis.quit();
});

async function cleanUp(prefix: string) {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}

function record(overrides: Partial<WorkerRecord> = {}): WorkerRecord {
  return {
    id: `host:1:${randomUUID().slice(0, 6)}`,
    host: 'host',
    pid: 1,
    startedAt: new Date().toISOString(),
    lastHeartbeatAt: new Date().toISOString(),
    heartbeatIntervalMs: 1_000,
    concurrency: { steps: 8, maintenance: 2, schedules: 2 },
    currentSteps: [],
    ...overrides,
  };
}

describe('the worker registry', () => {
  it('lists a beating process with its concurrency and the steps it is executing', async () => {
    const prefix = `test-registry-${randomUUID()}`;
    const tracker = createActiveStepTracker();
    const step = { stepId: randomUUID(), runId: randomUUID(), orgId: randomUUID() };
    const heartbeat = startWorkerHeartbeat({
      redis,
      prefix,
      intervalMs: 50,
      log: silent,
      snapshot: () => ({
        id: 'box:42:abc123',
        host: 'box',
        pid: 42,
        startedAt: '2026-01-01T00:00:00.000Z',
        concurrency: { steps: 8, maintenance: 2, schedules: 2 },
        currentSteps: tracker.list(),
      }),
    });
    await heartbeat.ready;
    const ended = tracker.start(step);

    const [worker] = await vi.waitFor(async () => {
      const workers = await listWorkerHeartbeats(redis, { prefix });
      if (workers[0]?.currentSteps.length !== 1) throw new Error('step not reported yet');
      return workers;
    });
    expect(worker).toMatchObject({
      id: 'box:42:abc123',
      host: 'box',
      pid: 42,
      alive: true,
      concurrency: { steps: 8, maintenance: 2, schedules: 2 },
      currentSteps: [{ ...step, startedAt: expect.any(String) }],
    });
    expect(worker).not.toHaveProperty('heartbeatIntervalMs');

    ended();
    await vi.waitFor(async () => {
      const [current] = await listWorkerHeartbeats(redis, { prefix });
      expect(current?.currentSteps).toEqual([]);
    });
    await heartbeat.stop();
    expect(await listWorkerHeartbeats(redis, { prefix })).toEqual([]);
    await cleanUp(prefix);
  });

  it('reports a process that stopped beating as dead, then forgets it', async () => {
    const prefix = `test-registry-${randomUUID()}`;
    const live = record({ heartbeatIntervalMs: 10_000 });
    const silentOne = record({ heartbeatIntervalMs: 40 });
    await writeWorkerHeartbeat(redis, { prefix, record: live });
    await writeWorkerHeartbeat(redis, { prefix, record: silentOne });

    // Alive for 3 intervals (120 ms), kept for 6 (240 ms).
    await sleep(160);
    const listed = await listWorkerHeartbeats(redis, { prefix });
    expect(listed.map((worker) => [worker.id, worker.alive])).toEqual([
      [live.id, true],
      [silentOne.id, false],
    ]);

    await sleep(150);
    expect((await listWorkerHeartbeats(redis, { prefix })).map((worker) => worker.id)).toEqual([
      live.id,
    ]);
    // The expired record left the index too.
    expect(await redis.zrange(`${prefix}:worker-registry`, 0, -1)).toEqual([live.id]);
    await cleanUp(prefix);
  });

  it('skips a record it cannot read', async () => {
    const prefix = `test-registry-${randomUUID()}`;
    await redis.set(`${prefix}:worker-registry:bad`, '{not json', 'PX', 10_000);
    await redis.zadd(`${prefix}:worker-registry`, Date.now(), 'bad');

    expect(await listWorkerHeartbeats(redis, { prefix })).toEqual([]);
    await cleanUp(prefix);
  });
});
