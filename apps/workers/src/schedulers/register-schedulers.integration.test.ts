import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../queues';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from '../testing/test-workers-config';
import { startWorkers, type WorkersApp } from '../worker-app';
import { AUDIT_RETENTION_SCHEDULER_ID } from './register-audit-retention-scheduler';
import { REAPER_SCHEDULER_ID } from './register-reaper-scheduler';

describe('job schedulers', () => {
  const queuePrefix = createTestQueuePrefix();
  const apps: WorkersApp[] = [];
  let database: TestDatabase;
  let queue: Queue;

  beforeAll(async () => {
    database = await createTestDatabase();
    queue = new Queue(MAINTENANCE_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await Promise.all(apps.map((app) => app.close()));
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  it('registers the audit retention sweep and the reaper once when two worker processes boot', async () => {
    const config = createTestWorkersConfig({
      databaseUrl: database.url,
      queuePrefix,
      overrides: {
        AUDIT_RETENTION_DAYS: '90',
        AUDIT_RETENTION_CRON: '5 4 * * *',
        REAPER_INTERVAL_MS: '3600000',
      },
    });
    for (let i = 0; i < 2; i += 1) {
      const app = await startWorkers(config, { logger: createSilentLogger() });
      apps.push(app);
    }
    await Promise.all(apps.map((app) => app.schedulersRegistered));

    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(2);
    expect(schedulers.find((entry) => entry.key === AUDIT_RETENTION_SCHEDULER_ID)).toMatchObject({
      name: MAINTENANCE_JOBS.auditRetentionSweep,
      pattern: '5 4 * * *',
      tz: 'UTC',
      template: { data: { retentionDays: 90 } },
    });
    expect(schedulers.find((entry) => entry.key === REAPER_SCHEDULER_ID)).toMatchObject({
      name: MAINTENANCE_JOBS.reapStalledSteps,
      every: 3_600_000,
    });
    // One pending job per scheduler, whatever the number of processes. The reaper's first job
    // runs at once; its next one is queued as it is taken, so look once that has settled.
    await vi.waitFor(
      async () => {
        const pending = [
          ...(await queue.getDelayed()),
          ...(await queue.getWaiting()),
          ...(await queue.getPrioritized()),
        ];
        expect(pending.map((job) => job.name).sort()).toEqual(
          [MAINTENANCE_JOBS.auditRetentionSweep, MAINTENANCE_JOBS.reapStalledSteps].sort(),
        );
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});
