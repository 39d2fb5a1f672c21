import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, getRun, getSchedule as querySchedule } from '@switchyard/database';
import { createRedis } from '@switchyard/shared';
import {
  createEngineHarness,
  TEST_REDIS_URL,
  type EngineHarness,
} from '../engine/testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from '../engine/testing/fixtures';
import { createScheduleQueue, scheduleSchedulerId } from '../queue/schedule-queue';
import { createSchedule } from './create-schedule';
import { deleteSchedule } from './delete-schedule';
import { getSchedule } from './get-schedule';
import { listSchedules } from './list-schedules';
import { runSchedule } from './run-schedule';
import type { ScheduleServiceDeps } from './schedule-deps';
import { pauseSchedule, resumeSchedule } from './set-schedule-paused';

describe('schedules', () => {
  let harness: EngineHarness;
  let scheduleQueue: ReturnType<typeof createScheduleQueue>;
  let bullmq: ReturnType<typeof createRedis>;
  let deps: ScheduleServiceDeps;
  let agentId: string;
  let otherOrgId: string;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker();
    bullmq = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'schedules-test' });
    scheduleQueue = createScheduleQueue({ connection: bullmq, prefix: harness.prefix });
    deps = { db: harness.database.db, schedules: scheduleQueue };
    agentId = (await createScriptedAgent(harness, 'Reporter')).id;
    const other = await createOrganization(harness.database.db, {
      name: 'Other org',
      slug: `other-${randomBytes(4).toString('hex')}`,
    });
    otherOrgId = other.id;
  });
  afterAll(async () => {
    await scheduleQueue?.queue.obliterate({ force: true }).catch(() => undefined);
    await scheduleQueue?.close();
    await bullmq?.quit();
    await harness?.close();
  });

  const actor = () => ({ userId: harness.userId });
  /** The ids of every job scheduler registered in Redis on the `schedules` queue. */
  const schedulerIds = async () =>
    (await scheduleQueue.queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key);
  const newSchedule = (input: Record<string, unknown> = {}) =>
    createSchedule(
      {
        orgId: harness.orgId,
        actor: actor(),
        input: {
          name: 'Morning report',
          cron: '0 9 * * 1-5',
          timezone: 'Europe/Paris',
          target: { kind: 'agent', agentId },
          input: 'Write the morning report',
          ...input,
        },
      },
      deps,
    );

  it('registers a BullMQ job scheduler with the pattern and time zone on create', async () => {
    const schedule = await newSchedule();
    const scheduler = await scheduleQueue.queue.getJobScheduler(scheduleSchedulerId(schedule.id));
    expect(scheduler).toMatchObject({
      name: 'scheduled-run',
      pattern: '0 9 * * 1-5',
      tz: 'Europe/Paris',
    });
    expect(scheduler?.next).toBeGreaterThan(Date.now());
    expect(schedule.target).toEqual({
      kind: 'agent',
      id: agentId,
      input: 'Write the morning report',
    });
  });

  it('registers no scheduler for a schedule created paused', async () => {
    const schedule = await newSchedule({ paused: true });
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));
  });

  it('removes the scheduler on pause and registers it again on resume', async () => {
    const schedule = await newSchedule();
    const key = { orgId: harness.orgId, scheduleId: schedule.id, actor: actor() };
    expect(await pauseSchedule(key, deps)).toMatchObject({ paused: true });
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));
    // Pausing twice is harmless.
    expect(await pauseSchedule(key, deps)).toMatchObject({ paused: true });

    expect(await resumeSchedule(key, deps)).toMatchObject({ paused: false });
    expect(
      await scheduleQueue.queue.getJobScheduler(scheduleSchedulerId(schedule.id)),
    ).toMatchObject({ pattern: '0 9 * * 1-5' });
  });

  it('removes the row and the scheduler on delete', async () => {
    const schedule = await newSchedule();
    const key = { orgId: harness.orgId, scheduleId: schedule.id, actor: actor() };
    await deleteSchedule(key, deps);
    expect(await schedulerIds()).not.toContain(scheduleSchedulerId(schedule.id));
    await expect(getSchedule(key, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a cron pattern that does not parse or fires more than once a minute', async () => {
    await expect(newSchedule({ cron: 'every day' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(newSchedule({ cron: '* * * * * *' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(newSchedule({ timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses a target agent of another org', async () => {
    const foreign = createSchedule(
      {
        orgId: otherOrgId,
        actor: actor(),
        input: { name: 'x', cron: '0 * * * *', target: { kind: 'agent', agentId }, input: 'x' },
      },
      deps,
    );
    await expect(foreign).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("answers 404 for another org's schedule ids and lists only the org's own", async () => {
    const schedule = await newSchedule();
    const foreign = { orgId: otherOrgId, scheduleId: schedule.id, actor: actor() };
    await expect(getSchedule(foreign, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pauseSchedule(foreign, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resumeSchedule(foreign, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(deleteSchedule(foreign, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await schedulerIds()).toContain(scheduleSchedulerId(schedule.id));
    expect((await listSchedules({ orgId: otherOrgId }, deps)).items).toEqual([]);
    const own = await listSchedules({ orgId: harness.orgId, limit: 100 }, deps);
    expect(own.items.map((item) => item.id)).toContain(schedule.id);
  });

  it('starts a run of the target when fired, and records when it fired', async () => {
    const schedule = await newSchedule();
    const firedAt = new Date();
    const result = await runSchedule(
      { orgId: harness.orgId, scheduleId: schedule.id, firedAt },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    if (!('runId' in result)) throw new Error(`skipped: ${result.skipped}`);
    const run = await harness.waitForRun(result.runId, ['succeeded']);
    expect(run).toMatchObject({
      scheduleId: schedule.id,
      agentId,
      input: 'Write the morning report',
      createdByUserId: harness.userId,
    });
    const stored = await querySchedule(harness.database.db, {
      orgId: harness.orgId,
      scheduleId: schedule.id,
    });
    expect(stored?.lastRunAt?.getTime()).toBe(firedAt.getTime());
  });

  it('starts no run for a paused or deleted schedule', async () => {
    const schedule = await newSchedule();
    const key = { orgId: harness.orgId, scheduleId: schedule.id, actor: actor() };
    const runDeps = { ...harness.engine, settings: RUN_SETTINGS };
    await pauseSchedule(key, deps);
    expect(await runSchedule(key, runDeps)).toEqual({ skipped: 'paused' });
    await deleteSchedule(key, deps);
    expect(await runSchedule(key, runDeps)).toEqual({ skipped: 'not_found' });
    expect(await getRun(harness.database.db, { orgId: harness.orgId, runId: schedule.id })).toBe(
      null,
    );
  });
});
