import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('registers the audit retention sweep once when two worker processes boot', async () => {
    const config = createTestWorkersConfig({
      databaseUrl: database.url,
      queuePrefix,
      overrides: { AUDIT_RETENTION_DAYS: '90', AUDIT_RETENTION_CRON: '5 4 * * *' },
    });
    for (let i = 0; i < 2; i += 1) {
      const app = await startWorkers(config, { logger: createSilentLogger() });
      apps.push(app);
    }
    await Promise.all(apps.map((app) => app.schedulersRegistered));

    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: AUDIT_RETENTION_SCHEDULER_ID,
      name: MAINTENANCE_JOBS.auditRetentionSweep,
      pattern: '5 4 * * *',
      tz: 'UTC',
      template: { data: { retentionDays: 90 } },
    });
    const delayed = await queue.getDelayed();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]?.name).toBe(MAINTENANCE_JOBS.auditRetentionSweep);
  });
});
