import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createSchedule, scheduleSchedulerId } from '@switchyard/agents';
import { createOrganization } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createRedis } from '@switchyard/shared';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from '../testing/test-workers-config';
import { startWorkers, type WorkersApp } from '../worker-app';

describe('schedule sync at boot', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let app: WorkersApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  it('registers the job scheduler of every live schedule missing from Redis', async () => {
    const org = await createOrganization(database.db, { name: 'Sync org', slug: 'sync-org' });
    const agent = await createAgent(
      {
        orgId: org.id,
        actor: { userId: null },
        input: { name: 'A', instructions: 'You act.', provider: 'scripted', model: 'scripted' },
      },
      { db: database.db },
    );
    // Rows saved while Redis lost their schedulers: registration does nothing here.
    const noRedis = {
      upsertSchedule: async () => undefined,
      removeSchedule: async () => undefined,
    };
    const input = (paused: boolean) => ({
      name: paused ? 'paused' : 'live',
      cron: '*/5 * * * *',
      target: { kind: 'agent' as const, agentId: agent.id },
      input: 'Report',
      paused,
    });
    const live = await createSchedule(
      { orgId: org.id, actor: { userId: null }, input: input(false) },
      { db: database.db, schedules: noRedis },
    );
    const paused = await createSchedule(
      { orgId: org.id, actor: { userId: null }, input: input(true) },
      { db: database.db, schedules: noRedis },
    );

    const config = createTestWorkersConfig({ databaseUrl: database.url, queuePrefix });
    app = await startWorkers(config, { logger: createSilentLogger() });
    await app.schedulesSynced;

    const connection = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'sync-test' });
    const queue = new Queue('schedules', { connection, prefix: queuePrefix });
    const keys = (await queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);
    await queue.close();
    await connection.quit();
    expect(keys).toContain(scheduleSchedulerId(live.id));
    expect(keys).not.toContain(scheduleSchedulerId(paused.id));
  });
});
