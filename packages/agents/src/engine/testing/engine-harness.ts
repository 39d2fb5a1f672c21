import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Queue, Worker } from 'bullmq';
import { vi } from 'vitest';
import {
  createOrganization,
  createUser,
  getRun,
  type Run,
  type RunStatus,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, createRedis, DEFAULT_REDIS_URL, type Redis } from '@switchyard/shared';
import { createLocalDiskStorage, type StorageDriver } from '@switchyard/storage';
import { createScriptedProvider, type ModelProvider } from '../../providers';
import { createCancelListener, type CancelListener } from '../cancel-listener';
import type { EngineDeps, EngineSettings, ResolvedProvider } from '../engine-deps';
import { createStepWorker } from '../../queue/create-step-worker';
import { createRunQueue, type RunQueue } from '../../queue/run-queue';
import { createBuiltInTools, createToolRegistry } from '../../tools/tool-registry';
import type { Tool } from '../../tools/types';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL;

export type EngineHarness = {
  database: TestDatabase;
  engine: EngineDeps;
  queue: RunQueue & { queue: Queue };
  /** Model providers by id; replace one to script a test. */
  providers: Map<string, ResolvedProvider>;
  storage: StorageDriver;
  redis: Redis;
  prefix: string;
  orgId: string;
  userId: string;
  /** Starts a BullMQ worker of the `steps` queue on this harness' engine. */
  startWorker(options?: { concurrency?: number }): Promise<Worker>;
  /** Waits until the run's status is one of `statuses` (or fails after a generous timeout). */
  waitForRun(runId: string, statuses: readonly RunStatus[]): Promise<Run>;
  close(): Promise<void>;
};

/**
 * A real engine for integration tests: its own database, BullMQ prefix, Redis connections and
 * storage folder, the built-in tools (plus `extraTools`) and the scripted provider.
 */
export async function createEngineHarness(
  options: {
    extraTools?: Tool[];
    settings?: Partial<EngineSettings>;
    storage?: StorageDriver;
  } = {},
): Promise<EngineHarness> {
  const database = await createTestDatabase({ max: 10 });
  const prefix = `sy-test-agents-${randomBytes(6).toString('hex')}`;
  const log = createLogger({ name: 'agents-test', level: 'silent' });
  const redis = createRedis(TEST_REDIS_URL, { name: 'agents-test' });
  const subscriber = createRedis(TEST_REDIS_URL, { name: 'agents-test-cancel' });
  const bullmq = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'agents-test-bullmq' });
  const queue = createRunQueue({ connection: bullmq, prefix, backoffMs: 20 });
  const root = await mkdtemp(path.join(tmpdir(), 'switchyard-engine-'));
  const storage = options.storage ?? createLocalDiskStorage({ root });
  const providers = new Map<string, ResolvedProvider>([
    ['scripted', { provider: createScriptedProvider() }],
  ]);
  const cancellation: CancelListener = createCancelListener({ subscriber, log });
  await cancellation.ready;
  const engine: EngineDeps = {
    db: database.db,
    redis,
    queue,
    log,
    providers,
    tools: createToolRegistry([...createBuiltInTools(), ...(options.extraTools ?? [])]),
    storage,
    cancellation,
    settings: {
      workerId: `test-worker-${randomBytes(3).toString('hex')}`,
      leaseMs: 30_000,
      stepTimeoutMs: 60_000,
      orgLimitDelayMs: 50,
      maxHandoffs: 4,
      deltaFlushMs: 50,
      ...options.settings,
    },
  };
  const org = await createOrganization(database.db, {
    name: 'Agents test org',
    slug: `agents-${randomBytes(4).toString('hex')}`,
  });
  const user = await createUser(database.db, {
    email: `agents-${randomBytes(4).toString('hex')}@example.test`,
    name: 'Agents Tester',
  });
  const workers: Worker[] = [];

  return {
    database,
    engine,
    queue,
    providers,
    storage,
    redis,
    prefix,
    orgId: org.id,
    userId: user.id,
    async startWorker(workerOptions = {}) {
      const worker = createStepWorker({
        connection: bullmq,
        prefix,
        concurrency: workerOptions.concurrency ?? 4,
        engine,
        log,
        autorun: true,
      });
      worker.on('error', () => undefined);
      workers.push(worker);
      await worker.waitUntilReady();
      return worker;
    },
    async waitForRun(runId, statuses) {
      return vi.waitFor(
        async () => {
          const run = await getRun(database.db, { orgId: org.id, runId });
          if (!run || !statuses.includes(run.status)) {
            throw new Error(
              `run is ${run?.status ?? 'missing'}, waiting for ${statuses.join('|')}`,
            );
          }
          return run;
        },
        { timeout: 45_000, interval: 25 },
      );
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await cancellation.close();
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await Promise.all([redis.quit(), subscriber.quit(), bullmq.quit()]);
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A provider that records every request it gets, answering through `inner`. */
export function recordingProvider(inner: ModelProvider): {
  provider: ModelProvider;
  requests: Parameters<ModelProvider['complete']>[0][];
} {
  const requests: Parameters<ModelProvider['complete']>[0][] = [];
  return {
    requests,
    provider: {
      id: inner.id,
      label: inner.label,
      complete: (request) => {
        requests.push(request);
        return inner.complete(request);
      },
    },
  };
}
