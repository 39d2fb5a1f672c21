import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { spawnWorkersProcess } from './testing/spawn-workers-process';
import {
  createTestQueuePrefix,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from './testing/test-workers-config';

describe('workers process (tsx src/main.ts)', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;

  function baseEnv(): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      WORKERS_HEALTH_PORT: '0',
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  it('shuts down cleanly on SIGTERM and exits 0', async () => {
    const workers = spawnWorkersProcess(baseEnv());
    await workers.waitForOutput(/"msg":"job schedulers registered"/);

    workers.child.kill('SIGTERM');

    expect(await workers.exited).toEqual({ code: 0, signal: null });
    expect(workers.output().stdout).toMatch(/"msg":"workers stopped"/);
  });

  it('stops with one line naming REDIS_URL when Redis is unreachable', async () => {
    const workers = spawnWorkersProcess({ ...baseEnv(), REDIS_URL: 'redis://127.0.0.1:1' });

    expect((await workers.exited).code).toBe(1);
    expect(workers.output().stderr).toMatch(
      /^switchyard-workers: REDIS_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*set REDIS_URL/m,
    );
  });

  it('stops with one line naming DATABASE_URL, without the password, when Postgres is unreachable', async () => {
    const workers = spawnWorkersProcess({
      ...baseEnv(),
      DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/switchyard',
    });

    expect((await workers.exited).code).toBe(1);
    const { stderr } = workers.output();
    expect(stderr).toMatch(/^switchyard-workers: DATABASE_URL: cannot reach PostgreSQL at /m);
    expect(stderr).not.toContain('hunter2');
  });

  it('stops with one line naming WORKERS_HEALTH_PORT when the port is taken', async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const workers = spawnWorkersProcess({ ...baseEnv(), WORKERS_HEALTH_PORT: String(port) });

      expect((await workers.exited).code).toBe(1);
      expect(workers.output().stderr).toMatch(
        new RegExp(
          `^switchyard-workers: WORKERS_HEALTH_PORT: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`,
          'm',
        ),
      );
    } finally {
      blocker.close();
    }
  });

  it('stops with one line naming AUDIT_RETENTION_CRON when BullMQ refuses the pattern', async () => {
    const workers = spawnWorkersProcess({ ...baseEnv(), AUDIT_RETENTION_CRON: '61 3 * * *' });

    expect((await workers.exited).code).toBe(1);
    expect(workers.output().stderr).toMatch(
      /^switchyard-workers: AUDIT_RETENTION_CRON: BullMQ refused the job scheduler \(Constraint error.*\)/m,
    );
  });

  it('lists every bad setting before exiting 1', async () => {
    const workers = spawnWorkersProcess({
      ...baseEnv(),
      WORKER_CONCURRENCY: 'many',
      AUDIT_RETENTION_DAYS: '0',
      REDIS_URL: 'localhost:6379',
    });

    expect((await workers.exited).code).toBe(1);
    const { stderr } = workers.output();
    expect(stderr).toContain('WORKER_CONCURRENCY: must be a whole number');
    expect(stderr).toContain('AUDIT_RETENTION_DAYS: must be at least 1 day');
    expect(stderr).toContain('REDIS_URL: must be a URL like redis://host:6379');
  });
});
