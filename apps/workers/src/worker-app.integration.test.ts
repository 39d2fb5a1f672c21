import { Job, Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pingDatabase } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { PROBLEM_CONTENT_TYPE } from '@switchyard/shared';
import { MAINTENANCE_QUEUE } from './queues';
import { createDeferred } from './testing/create-deferred';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
  TEST_REDIS_URL,
} from './testing/test-workers-config';
import { startWorkers, type WorkersApp, type WorkersDeps } from './worker-app';

type HealthBody = {
  detail?: string;
  failing?: string[];
  checks?: Record<string, { status: string; reason?: string }>;
  [key: string]: unknown;
};

describe('startWorkers', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let queue: Queue;
  const started: WorkersApp[] = [];

  async function start(overrides: Record<string, string> = {}, deps: WorkersDeps = {}) {
    const config = createTestWorkersConfig({ databaseUrl: database.url, queuePrefix, overrides });
    const app = await startWorkers(config, { logger: createSilentLogger(), ...deps });
    started.push(app);
    return app;
  }

  async function get(app: WorkersApp, path: string) {
    const response = await fetch(`http://${app.health.host}:${app.health.port}${path}`);
    const body = (await response.json()) as HealthBody;
    return { status: response.status, type: response.headers.get('content-type'), body };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    queue = new Queue(MAINTENANCE_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: queuePrefix,
    });
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    await queue?.close();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  describe('graceful shutdown', () => {
    it('lets a job in progress finish before close() resolves', async () => {
      const jobStarted = createDeferred();
      const closeCalled = createDeferred();
      const steps: string[] = [];
      const app = await start(
        {},
        {
          maintenanceProcessors: {
            // Test-only job: keeps using the database after shutdown has begun.
            'test-long-job': async (_job, deps) => {
              jobStarted.resolve();
              await closeCalled.promise;
              let databaseUsable = true;
              for (let i = 0; i < 5; i += 1) {
                databaseUsable = databaseUsable && (await pingDatabase(deps.db, 5_000));
              }
              steps.push('job finished');
              return { databaseUsable };
            },
          },
        },
      );
      const job = await queue.add('test-long-job', {});
      await jobStarted.promise;

      const closing = app.close().then(() => steps.push('closed'));
      closeCalled.resolve();
      await closing;

      expect(steps).toEqual(['job finished', 'closed']);
      const finished = await Job.fromId(queue, job.id ?? '');
      expect(await finished?.getState()).toBe('completed');
      expect(finished?.returnvalue).toEqual({ databaseUsable: true });
    });

    it('forces the close after SHUTDOWN_TIMEOUT_MS and leaves the unfinished job active for stall recovery', async () => {
      const jobStarted = createDeferred();
      const release = createDeferred();
      const app = await start(
        { SHUTDOWN_TIMEOUT_MS: '50' },
        {
          maintenanceProcessors: {
            'test-stuck-job': async () => {
              jobStarted.resolve();
              await release.promise;
              return { finished: true };
            },
          },
        },
      );
      const job = await queue.add('test-stuck-job', {});
      await jobStarted.promise;

      await app.close();

      expect(app.worker.closing).toBeTruthy();
      const stuck = await Job.fromId(queue, job.id ?? '');
      expect(await stuck?.getState()).toBe('active');
      release.resolve();
    });
  });

  describe('health server', () => {
    it('answers /healthz with 200 ok', async () => {
      const app = await start();

      const response = await get(app, '/healthz');

      expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('answers /readyz with 200 when Postgres, Redis, migrations and the worker are fine', async () => {
      const app = await start();
      await app.schedulersRegistered;

      const response = await get(app, '/readyz');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        checks: {
          postgres: { status: 'ok' },
          redis: { status: 'ok' },
          migrations: { status: 'ok' },
          worker: { status: 'ok' },
        },
      });
    });

    it('answers /readyz with 503 problem+json naming redis when Redis is unreachable', async () => {
      const app = await start({ REDIS_URL: 'redis://127.0.0.1:1' });

      const response = await get(app, '/readyz');

      expect(response.status).toBe(503);
      expect(response.type).toContain(PROBLEM_CONTENT_TYPE);
      expect(response.body).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        instance: '/readyz',
        checks: { postgres: { status: 'ok' }, redis: { status: 'failing' } },
      });
      expect(response.body.failing).toContain('redis');
      expect(response.body.failing).not.toContain('postgres');
      expect(response.body.detail).toMatch(/redis/);
    });

    it('answers /readyz with 503 naming migrations when the database is not migrated', async () => {
      const empty = await createTestDatabase({ migrate: false });
      try {
        const config = createTestWorkersConfig({ databaseUrl: empty.url, queuePrefix });
        const app = await startWorkers(config, { logger: createSilentLogger() });
        started.push(app);
        await app.schedulersRegistered;

        const response = await get(app, '/readyz');

        expect(response.status).toBe(503);
        expect(response.body.failing).toEqual(['migrations']);
        expect(response.body.checks?.migrations?.reason).toMatch(/^pending: 0000_/);
      } finally {
        await Promise.all(started.splice(0).map((app) => app.close()));
        await empty.drop();
      }
    });

    it('answers other methods on health paths with 405 problem+json and an Allow header', async () => {
      const app = await start();

      const response = await fetch(`http://${app.health.host}:${app.health.port}/readyz`, {
        method: 'POST',
      });

      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(await response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    });

    it('answers unknown paths with 404 problem+json', async () => {
      const app = await start();

      const response = await get(app, '/status');

      expect(response.status).toBe(404);
      expect(response.type).toContain(PROBLEM_CONTENT_TYPE);
      expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/status' });
    });
  });
});
