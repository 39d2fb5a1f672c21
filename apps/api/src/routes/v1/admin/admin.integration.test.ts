import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createActiveStepTracker,
  startWorkerHeartbeat,
  STEPS_QUEUE,
  type WorkerHeartbeat,
} from '@switchyard/agents';
import { insertRun, updateRun } from '@switchyard/database';
import { createRedis, type Redis } from '@switchyard/shared';
import { LOCAL_REDIS_URL } from '../../../testing/test-app';
import type { Headers } from '../orgs/org-test-fixtures';
import { startRuntimeTestApp, type RuntimeTestApp } from '../runs-testing/runtime-test-app';

/**
 * The worker manager (`/v1/admin`), on real PostgreSQL and Redis: platform admins only, queue
 * counts, pause and resume, failed jobs retried or discarded, live workers from their heartbeat.
 */
let context: RuntimeTestApp;
let bullmq: Redis;
let admin: Headers;
let member: Headers;
let unverifiedAdmin: Headers;
let apiKey: Headers;
let orgId: string;
let userId: string;
const queues: Queue[] = [];
const workers: Array<Worker<object, void>> = [];

beforeAll(async () => {
  context = await startRuntimeTestApp({
    // Case and spaces do not matter; an unverified address listed here grants nothing.
    PLATFORM_ADMIN_EMAILS: ' Ops@Example.com , unverified-ops@example.com',
  });
  const fx = context.fixtures;
  bullmq = createRedis(LOCAL_REDIS_URL, { forBullmq: true, name: 'admin-test' });
  const adminUser = await fx.user({ email: 'ops@example.com' });
  admin = await fx.signIn(adminUser);
  userId = adminUser.id;
  unverifiedAdmin = await fx.signIn(
    await fx.user({ email: 'unverified-ops@example.com', verified: false }),
  );
  const team = await fx.team();
  orgId = team.org.id;
  member = team.owner.headers;
  apiKey = (await fx.apiKey(team, ['run:read', 'run:create'])).headers;
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await Promise.all(queues.map((queue) => queue.close()));
  await bullmq?.quit();
  await context?.close();
});

function queue(name: string): Queue {
  const opened = new Queue(name, { connection: bullmq, prefix: context.queuePrefix });
  queues.push(opened);
  return opened;
}

/** Adds a job that fails on its one attempt, and resolves its id once it has failed. */
async function failedJob(name: string, data: object, jobId?: string): Promise<string> {
  const target = queue(name);
  const failing = new Worker<object, void>(
    name,
    async () => {
      throw new Error('boom');
    },
    { connection: bullmq, prefix: context.queuePrefix, autorun: true },
  );
  workers.push(failing);
  const job = await target.add('test-job', data, { attempts: 1, ...(jobId ? { jobId } : {}) });
  await vi.waitFor(async () => expect(await job.getState()).toBe('failed'), { timeout: 10_000 });
  await failing.close();
  return job.id ?? '';
}

function call(method: 'GET' | 'POST' | 'DELETE', url: string, headers?: Headers) {
  return context.app.inject({ method, url, ...(headers ? { headers } : {}) });
}

describe('who may use the worker manager', () => {
  const routes = [
    ['GET', '/v1/admin/queues'],
    ['GET', '/v1/admin/workers'],
    ['GET', '/v1/admin/queues/steps/jobs'],
    ['POST', '/v1/admin/queues/steps/pause'],
    ['POST', '/v1/admin/queues/steps/resume'],
    ['POST', '/v1/admin/queues/steps/jobs/some-job/retry'],
    ['DELETE', '/v1/admin/queues/steps/jobs/some-job'],
  ] as const;

  it.each(routes)('%s %s answers anonymous callers 401', async (method, url) => {
    const response = await call(method, url);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it.each(routes)('%s %s answers a signed-in non-admin 403', async (method, url) => {
    const response = await call(method, url, member);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each(routes)('%s %s answers an API key 403', async (method, url) => {
    expect((await call(method, url, apiKey)).statusCode).toBe(403);
  });

  it('refuses a listed e-mail address that is not verified', async () => {
    expect((await call('GET', '/v1/admin/queues', unverifiedAdmin)).statusCode).toBe(403);
  });

  it('tells GET /v1/me who is a platform admin', async () => {
    expect((await call('GET', '/v1/me', admin)).json()).toMatchObject({ platformAdmin: true });
    expect((await call('GET', '/v1/me', member)).json()).toMatchObject({ platformAdmin: false });
    expect((await call('GET', '/v1/me', unverifiedAdmin)).json()).toMatchObject({
      platformAdmin: false,
    });
  });
});

describe('queues', () => {
  it('lists the steps, schedules and maintenance queues with their counts', async () => {
    const response = await call('GET', '/v1/admin/queues', admin);

    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ queues: Array<{ name: string; paused: boolean }> }>();
    expect(body.queues.map((entry) => entry.name)).toEqual(['steps', 'schedules', 'maintenance']);
    expect(body.queues[0]).toEqual({
      name: 'steps',
      paused: false,
      counts: { waiting: 0, active: 0, delayed: 0, prioritized: 0, completed: 0, failed: 0 },
    });
  });

  it('pauses and resumes a queue, and audits both', async () => {
    const paused = await call('POST', '/v1/admin/queues/schedules/pause', admin);
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ name: 'schedules', paused: true });
    expect(await queue('schedules').isPaused()).toBe(true);
    const listed = (await call('GET', '/v1/admin/queues', admin)).json<{
      queues: Array<{ name: string; paused: boolean }>;
    }>();
    expect(listed.queues.find((entry) => entry.name === 'schedules')?.paused).toBe(true);

    const resumed = await call('POST', '/v1/admin/queues/schedules/resume', admin);
    expect(resumed.json()).toMatchObject({ name: 'schedules', paused: false });
    expect(await queue('schedules').isPaused()).toBe(false);

    const audit = await context.database.pool.query<{ action: string; actor: string }>(
      `SELECT action, actor_user_id AS actor FROM audit_log
       WHERE target_type = 'queue' AND target_id = 'schedules' ORDER BY created_at, action`,
    );
    expect(audit.rows).toEqual([
      { action: 'queue.paused', actor: userId },
      { action: 'queue.resumed', actor: userId },
    ]);
  });

  it('answers 404 for a queue that does not exist', async () => {
    for (const [method, url] of [
      ['POST', '/v1/admin/queues/nope/pause'],
      ['GET', '/v1/admin/queues/nope/jobs'],
      ['POST', '/v1/admin/queues/nope/jobs/1/retry'],
      ['DELETE', '/v1/admin/queues/nope/jobs/1'],
    ] as const) {
      const response = await call(method, url, admin);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it.each(['state=stuck', 'limit=0', 'limit=101', 'offset=-1', 'surprise=1'])(
    'answers 400 to the job list query %s',
    async (query) => {
      const response = await call('GET', `/v1/admin/queues/maintenance/jobs?${query}`, admin);
      expect(response.statusCode).toBe(400);
    },
  );
});

describe('jobs', () => {
  it('lists failed jobs, retries one, and refuses to retry it twice', async () => {
    const jobId = await failedJob('maintenance', { retentionDays: 30, nested: { hidden: true } });

    const listed = await call('GET', '/v1/admin/queues/maintenance/jobs?state=failed', admin);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toEqual({
      total: 1,
      jobs: [
        {
          id: jobId,
          name: 'test-job',
          state: 'failed',
          data: { retentionDays: 30 },
          attemptsMade: 1,
          failedReason: 'boom',
          createdAt: expect.any(String),
          processedAt: expect.any(String),
          finishedAt: expect.any(String),
        },
      ],
    });

    const retried = await call('POST', `/v1/admin/queues/maintenance/jobs/${jobId}/retry`, admin);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({
      job: { id: jobId, state: 'waiting', attemptsMade: 0, failedReason: null },
    });
    expect(await queue('maintenance').getJobState(jobId)).toBe('waiting');

    const again = await call('POST', `/v1/admin/queues/maintenance/jobs/${jobId}/retry`, admin);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CONFLICT' });
  });

  it('discards a failed job, then answers 404 for it', async () => {
    const jobId = await failedJob('maintenance', { retentionDays: 7 });

    const discarded = await call('DELETE', `/v1/admin/queues/maintenance/jobs/${jobId}`, admin);
    expect(discarded.statusCode, discarded.body).toBe(204);
    expect(await queue('maintenance').getJob(jobId)).toBeUndefined();
    const audit = await context.database.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1`,
      [`maintenance:${jobId}`],
    );
    expect(audit.rows).toEqual([{ action: 'queue.job_discarded' }]);

    expect(
      (await call('DELETE', `/v1/admin/queues/maintenance/jobs/${jobId}`, admin)).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', `/v1/admin/queues/maintenance/jobs/${jobId}/retry`, admin)).statusCode,
    ).toBe(404);
  });

  it('refuses to discard a running job', async () => {
    let release: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const target = queue('maintenance');
    const worker = new Worker<object, void>('maintenance', () => running, {
      connection: bullmq,
      prefix: context.queuePrefix,
      autorun: true,
    });
    workers.push(worker);
    const job = await target.add('slow-job', {});
    await vi.waitFor(async () => expect(await job.getState()).toBe('active'));

    const response = await call('DELETE', `/v1/admin/queues/maintenance/jobs/${job.id}`, admin);
    expect(response.statusCode).toBe(409);

    release();
    await vi.waitFor(async () => expect(await job.getState()).toBe('completed'));
    await worker.close();
  });

  it('sends the retry of a step job of an ended run to the run, and retries it while the run lives', async () => {
    const run = await insertRun(context.database.db, {
      orgId,
      createdByUserId: null,
      targetKind: 'agent',
      agentId: null,
      agentVersion: null,
      teamId: null,
      teamSnapshot: null,
      input: 'Fetch the report',
      priority: 5,
      budget: {},
      scheduleId: null,
      deadlineAt: new Date(Date.now() + 3_600_000),
    });
    await updateRun(context.database.db, { orgId, runId: run.id, values: { status: 'failed' } });
    const stepId = randomUUID();
    await failedJob(STEPS_QUEUE, { stepId, runId: run.id, orgId }, stepId);
    const url = `/v1/admin/queues/steps/jobs/${stepId}/retry`;

    const refused = await call('POST', url, admin);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'CONFLICT',
      retryPath: `/v1/orgs/${orgId}/runs/${run.id}/retry`,
      runStatus: 'failed',
    });
    expect(refused.json<{ detail: string }>().detail).toContain(
      `POST /v1/orgs/${orgId}/runs/${run.id}/retry`,
    );
    expect(await queue(STEPS_QUEUE).getJobState(stepId)).toBe('failed');

    await updateRun(context.database.db, { orgId, runId: run.id, values: { status: 'running' } });
    const retried = await call('POST', url, admin);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(['waiting', 'prioritized']).toContain(await queue(STEPS_QUEUE).getJobState(stepId));
  });
});

describe('workers', () => {
  let heartbeat: WorkerHeartbeat | undefined;
  afterAll(async () => {
    await heartbeat?.stop();
  });

  it('lists a live worker with its concurrency and the step it executes', async () => {
    const steps = createActiveStepTracker();
    const step = { stepId: randomUUID(), runId: randomUUID(), orgId };
    steps.start(step);
    heartbeat = startWorkerHeartbeat({
      redis: bullmq,
      prefix: context.queuePrefix,
      log: { warn: () => undefined },
      snapshot: () => ({
        id: 'test-host:123:abcdef',
        host: 'test-host',
        pid: 123,
        startedAt: new Date().toISOString(),
        concurrency: { steps: 8, maintenance: 4, schedules: 4 },
        currentSteps: steps.list(),
      }),
    });
    await heartbeat.ready;

    const response = await call('GET', '/v1/admin/workers', admin);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      workers: [
        {
          id: 'test-host:123:abcdef',
          host: 'test-host',
          pid: 123,
          startedAt: expect.any(String),
          lastHeartbeatAt: expect.any(String),
          alive: true,
          concurrency: { steps: 8, maintenance: 4, schedules: 4 },
          currentSteps: [{ ...step, startedAt: expect.any(String) }],
        },
      ],
    });

    await heartbeat.stop();
    expect((await call('GET', '/v1/admin/workers', admin)).json()).toEqual({ workers: [] });
  });
});
