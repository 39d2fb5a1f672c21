import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createAgent,
  createSchedule,
  createScheduleQueue,
  getRun,
  pauseSchedule,
  SCHEDULED_RUN_JOB,
  SCHEDULES_QUEUE,
  type ScheduleServiceDeps,
} from '@switchyard/agents';
import { createOrganization, getSchedule } from '@switchyard/database';
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

describe('scheduled-run job', () => {
  const queuePrefix = createTestQueuePrefix();
  const bullmq = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'schedules-job-test' });
  const schedules = createScheduleQueue({ connection: bullmq, prefix: queuePrefix });
  // The same queue, to fire a schedule now instead of waiting for its cron.
  const queue = new Queue(SCHEDULES_QUEUE, { connection: bullmq, prefix: queuePrefix });
  let database: TestDatabase;
  let app: WorkersApp;
  let deps: ScheduleServiceDeps;
  let orgId: string;
  let agentId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = createTestWorkersConfig({ databaseUrl: database.url, queuePrefix });
    app = await startWorkers(config, { logger: createSilentLogger() });
    deps = { db: database.db, schedules };
    orgId = (await createOrganization(database.db, { name: 'Cron org', slug: 'cron-org' })).id;
    const agent = await createAgent(
      {
        orgId,
        actor: { userId: null },
        input: {
          name: 'Reporter',
          instructions: 'You report.',
          provider: 'scripted',
          model: 'scripted',
          tools: [],
        },
      },
      { db: database.db },
    );
    agentId = agent.id;
  });

  afterAll(async () => {
    await app?.close();
    await queue.close();
    await schedules.close();
    await bullmq.quit();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  const newSchedule = () =>
    createSchedule(
      {
        orgId,
        actor: { userId: null },
        input: {
          name: 'Hourly digest',
          cron: '0 * * * *',
          target: { kind: 'agent', agentId },
          input: 'Summarise the last hour',
        },
      },
      deps,
    );

  const fire = async (scheduleId: string) => {
    const job = await queue.add(SCHEDULED_RUN_JOB, { scheduleId, orgId });
    return vi.waitFor(
      async () => {
        // The state first: a job read while active has no return value yet, even if it
        // completes before its state is read.
        const state = await queue.getJobState(job.id ?? '');
        if (state !== 'completed') throw new Error(`job is ${state}`);
        return (await queue.getJob(job.id ?? ''))?.returnvalue as unknown;
      },
      { timeout: 30_000, interval: 50 },
    );
  };

  it("creates a run of the schedule's target that the steps worker completes", async () => {
    const schedule = await newSchedule();
    const result = await fire(schedule.id);
    expect(result).toEqual({ runId: expect.any(String) });
    const { runId } = result as { runId: string };

    const run = await vi.waitFor(
      async () => {
        const current = await getRun({ orgId, runId }, { db: database.db });
        if (current?.status !== 'succeeded') throw new Error(`run is ${current?.status}`);
        return current;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(run).toMatchObject({ scheduleId: schedule.id, agentId });
    const stored = await getSchedule(database.db, { orgId, scheduleId: schedule.id });
    expect(stored?.lastRunAt).toBeInstanceOf(Date);
  });

  it('skips a schedule paused after the job was enqueued', async () => {
    const schedule = await newSchedule();
    await pauseSchedule({ orgId, scheduleId: schedule.id, actor: { userId: null } }, deps);
    expect(await fire(schedule.id)).toEqual({ skipped: 'paused' });
  });
});
