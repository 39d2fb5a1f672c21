import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listWorkerHeartbeats } from '@switchyard/agents';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createRedis, type Redis } from '@switchyard/shared';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from './testing/test-workers-config';
import { startWorkers } from './worker-app';

describe('the worker heartbeat', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let redis: Redis;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createRedis(TEST_REDIS_URL, { name: 'worker-heartbeat-test' });
  });

  afterAll(async () => {
    await redis?.quit();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  it('registers the process while it runs and removes it on close', async () => {
    const config = createTestWorkersConfig({
      databaseUrl: database.url,
      queuePrefix,
      overrides: { STEP_CONCURRENCY: '3', WORKER_CONCURRENCY: '2' },
    });
    const app = await startWorkers(config, { logger: createSilentLogger() });

    const workers = await vi.waitFor(async () => {
      const listed = await listWorkerHeartbeats(redis, { prefix: queuePrefix });
      if (listed.length === 0) throw new Error('no heartbeat yet');
      return listed;
    });
    expect(workers).toEqual([
      expect.objectContaining({
        id: app.workerId,
        pid: process.pid,
        alive: true,
        concurrency: { steps: 3, maintenance: 2, schedules: 2 },
        currentSteps: [],
      }),
    ]);

    await app.close();
    expect(await listWorkerHeartbeats(redis, { prefix: queuePrefix })).toEqual([]);
  });
});
