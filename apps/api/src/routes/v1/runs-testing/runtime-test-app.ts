import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'bullmq';
import {
  createBuiltInTools,
  createCancelListener,
  createRunQueue,
  createScriptedProvider,
  createStepWorker,
  createToolRegistry,
  DEFAULT_ENGINE_SETTINGS,
  type EngineDeps,
  type ResolvedProvider,
} from '@switchyard/agents';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, createRedis, type Redis } from '@switchyard/shared';
import { createLocalDiskStorage } from '@switchyard/storage';
import { buildApp, type App } from '../../../app';
import { createTestConfig, LOCAL_REDIS_URL } from '../../../testing/test-app';
import { createOrgRouteFixtures, type OrgRouteFixtures } from '../orgs/org-test-fixtures';

export type RuntimeTestApp = {
  app: App;
  database: TestDatabase;
  fixtures: OrgRouteFixtures;
  /** The BullMQ key prefix (`QUEUE_PREFIX`) of this app and its workers. */
  queuePrefix: string;
  /** Starts a real step worker (scripted model, built-in tools) on the api's queue. */
  startWorker(): Promise<Worker>;
  close(): Promise<void>;
};

/**
 * The api on a fresh database, a key-prefixed Redis and a BullMQ prefix of its own, plus what a
 * workers process runs, so a run created over HTTP really executes.
 */
export async function startRuntimeTestApp(
  /** Further api settings (environment variables). */
  env: Record<string, string> = {},
): Promise<RuntimeTestApp> {
  const database = await createTestDatabase({ max: 10 });
  const redis: Redis = createTestRedis();
  const queuePrefix = `sy-test-api-${randomBytes(6).toString('hex')}`;
  const log = createLogger({ name: 'api-runtime-test', level: 'silent' });
  const app = await buildApp(
    createTestConfig({
      DATABASE_URL: database.url,
      REDIS_URL: LOCAL_REDIS_URL,
      PUBLIC_URL: 'http://localhost:3000',
      QUEUE_PREFIX: queuePrefix,
      ...env,
    }),
    { database: { db: database.db, pool: database.pool }, redis, logger: log },
  );
  await app.ready();
  const context = { app, database, close: async () => undefined };
  const fixtures = createOrgRouteFixtures(context);

  const bullmq = createRedis(LOCAL_REDIS_URL, { forBullmq: true, name: 'api-test-worker' });
  const engineRedis = createRedis(LOCAL_REDIS_URL, { name: 'api-test-engine' });
  const subscriber = createRedis(LOCAL_REDIS_URL, { name: 'api-test-cancel' });
  const root = await mkdtemp(path.join(tmpdir(), 'switchyard-api-runs-'));
  const cancellation = createCancelListener({ subscriber, log });
  const workers: Worker[] = [];
  let engine: EngineDeps | null = null;

  const createEngine = async (): Promise<EngineDeps> => {
    await cancellation.ready;
    return {
      db: database.db,
      redis: engineRedis,
      queue: createRunQueue({ connection: bullmq, prefix: queuePrefix, backoffMs: 20 }),
      log,
      providers: new Map<string, ResolvedProvider>([
        ['scripted', { provider: createScriptedProvider() }],
      ]),
      tools: createToolRegistry(createBuiltInTools()),
      storage: createLocalDiskStorage({ root }),
      cancellation,
      settings: {
        ...DEFAULT_ENGINE_SETTINGS,
        workerId: `api-test-worker-${randomBytes(3).toString('hex')}`,
        orgLimitDelayMs: 50,
        deltaFlushMs: 20,
      },
    };
  };

  return {
    app,
    database,
    fixtures,
    queuePrefix,
    async startWorker() {
      engine ??= await createEngine();
      const worker = createStepWorker({
        connection: bullmq,
        prefix: queuePrefix,
        concurrency: 4,
        engine,
        log,
        autorun: true,
      });
      worker.on('error', () => undefined);
      workers.push(worker);
      await worker.waitUntilReady();
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await cancellation.close();
      await engine?.queue.close();
      await app.close();
      await deleteKeys(queuePrefix);
      await Promise.all([bullmq.quit(), engineRedis.quit(), subscriber.quit()]);
      await closeTestRedis(redis);
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = createRedis(LOCAL_REDIS_URL, { name: 'api-test-cleanup' });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
