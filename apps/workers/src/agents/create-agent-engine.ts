import path from 'node:path';
import type { ConnectionOptions } from 'bullmq';
import {
  createBuiltInTools,
  createCancelListener,
  createOrgConcurrencyLimiter,
  createRunQueue,
  createToolRegistry,
  DEFAULT_ENGINE_SETTINGS,
  type EngineDeps,
} from '@switchyard/agents';
import type { Database } from '@switchyard/database';
import { createRedis, type Logger } from '@switchyard/shared';
import { createLocalDiskStorage } from '@switchyard/storage';
import type { WorkersConfig } from '../env';
import { createProviderRegistry } from './create-provider-registry';

export type AgentEngine = {
  engine: EngineDeps;
  /** Closes the cancel subscription, the queue and the engine's Redis connections. */
  close: () => Promise<void>;
};

/**
 * Everything `executeStep` needs in this process: the run queue, providers, tools, org files
 * under `DATA_DIR/files`, the org concurrency limiter and the cancel listener. Redis connections
 * of its own: a subscribed connection can run no other command.
 */
export function createAgentEngine(options: {
  config: WorkersConfig;
  db: Database;
  /** The BullMQ connection shared with the app's queues and workers. */
  connection: ConnectionOptions;
  workerId: string;
  logger: Logger;
}): AgentEngine {
  const { config, logger } = options;
  const redis = createRedis(config.redisUrl, { name: 'switchyard-workers-engine' });
  const subscriber = createRedis(config.redisUrl, { name: 'switchyard-workers-cancel' });
  redis.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const queue = createRunQueue({
    connection: options.connection,
    prefix: config.queuePrefix,
    log: logger,
  });
  const cancellation = createCancelListener({ subscriber, log: logger });
  const engine: EngineDeps = {
    db: options.db,
    redis,
    queue,
    log: logger,
    providers: createProviderRegistry(config, redis),
    tools: createToolRegistry(createBuiltInTools()),
    storage: createLocalDiskStorage({ root: path.resolve(config.dataDir, 'files') }),
    cancellation,
    orgConcurrency: createOrgConcurrencyLimiter({
      redis,
      limit: config.orgConcurrencyLimit,
      leaseMs: config.stepLeaseMs,
      keyPrefix: `${config.queuePrefix}:`,
    }),
    settings: {
      ...DEFAULT_ENGINE_SETTINGS,
      workerId: options.workerId,
      leaseMs: config.stepLeaseMs,
      stepTimeoutMs: config.stepTimeoutMs,
    },
  };
  return {
    engine,
    close: async () => {
      await cancellation.close();
      await queue.close().catch((error: unknown) => {
        logger.warn({ err: error }, 'closing the steps queue failed');
      });
      await Promise.allSettled([quit(redis), quit(subscriber)]);
    },
  };
}

async function quit(redis: ReturnType<typeof createRedis>): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
