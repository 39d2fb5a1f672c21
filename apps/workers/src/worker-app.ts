import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import {
  createActiveStepTracker,
  createScheduleQueue,
  createStepWorker,
  SCHEDULED_RUN_JOB,
  SCHEDULES_QUEUE,
  startWorkerHeartbeat,
  STEPS_QUEUE,
  type EngineDeps,
  type WorkerHeartbeat,
} from '@switchyard/agents';
import {
  createDatabase,
  getMigrationStatus,
  pingDatabase,
  type Database,
} from '@switchyard/database';
import {
  createLogger,
  createRedis,
  pingRedis,
  redactUrl,
  type Logger,
  type Redis,
} from '@switchyard/shared';
import { createAgentEngine } from './agents/create-agent-engine';
import { closeWorkerGracefully } from './close-worker-gracefully';
import { WORKERS_APP_NAME, type WorkersConfig } from './env';
import { createHealthServer } from './health/create-health-server';
import type { ReadinessChecks } from './health/run-readiness-checks';
import { createJobDispatcher } from './jobs/create-job-dispatcher';
import type { JobProcessorMap } from './jobs/job-processor';
import { MAINTENANCE_PROCESSORS } from './jobs/maintenance-processors';
import { createReapStalledStepsProcessor } from './jobs/reap-stalled-steps';
import { createRunScheduleProcessor } from './jobs/run-schedule';
import { createWorkerMetrics } from './metrics/create-worker-metrics';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from './queues';
import { registerSchedulers } from './schedulers/register-schedulers';
import { syncScheduleSchedulers } from './schedulers/sync-schedule-schedulers';
import { settleWithin } from './settle-within';

const APPLICATION_NAME = WORKERS_APP_NAME;
const PING_TIMEOUT_MS = 1_000;
const HANDSHAKE_WAIT_MS = 5_000;

export type WorkersDeps = {
  /** Defaults to a pino logger configured from `LOG_LEVEL` / `LOG_PRETTY`. */
  logger?: Logger;
  /**
   * Processors added to (or replacing) the production processors of the `maintenance` queue, by
   * job name. Tests inject their own jobs here; production passes nothing.
   */
  maintenanceProcessors?: JobProcessorMap;
};

export type WorkersApp = {
  /** This process in the worker registry (`host:pid:random`). */
  workerId: string;
  worker: Worker;
  /** The worker of the `steps` queue, executing run steps (`STEP_CONCURRENCY` at a time). */
  stepsWorker: Worker;
  /** The worker of the `schedules` queue, starting the runs of cron schedules. */
  schedulesWorker: Worker;
  /** What the steps worker executes with (run queue, providers, tools, storage). */
  engine: EngineDeps;
  maintenanceQueue: Queue;
  db: Database;
  logger: Logger;
  /** Where the health server listens (the real port when `WORKERS_HEALTH_PORT` is 0). */
  health: { host: string; port: number };
  /**
   * Resolves once the job schedulers are registered in Redis (or the app closed first).
   * Registration waits while Redis is unreachable; it rejects only when BullMQ refuses it, for
   * example for a cron pattern it cannot parse.
   */
  schedulersRegistered: Promise<void>;
  /**
   * Resolves once every schedule in PostgreSQL has its BullMQ job scheduler (and no paused one
   * has), or the app closed first. Failures are logged, never thrown.
   */
  schedulesSynced: Promise<void>;
  /**
   * Stops taking jobs, lets active jobs finish (forcing after `SHUTDOWN_TIMEOUT_MS`), then closes
   * the health server and every connection. Safe to call more than once.
   */
  close: () => Promise<void>;
};

/**
 * Starts the BullMQ workers, their schedulers and the health server. Installs no signal handlers
 * and never exits the process, so tests can run several instances side by side. Rejects (after
 * releasing what it opened) when the health server cannot listen; the error keeps its `code`.
 */
export async function startWorkers(
  config: WorkersConfig,
  deps: WorkersDeps = {},
): Promise<WorkersApp> {
  const logger =
    deps.logger ??
    createLogger({ name: 'workers', level: config.logLevel, pretty: config.logPretty });
  const database = createDatabase({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: APPLICATION_NAME,
    log: logger,
  });
  // BullMQ needs a connection that retries commands for ever; the health probe needs one that
  // fails fast, so each gets its own.
  const bullmqRedis = createRedis(config.redisUrl, { forBullmq: true, name: APPLICATION_NAME });
  const probeRedis = createRedis(config.redisUrl, { name: `${APPLICATION_NAME}-health` });
  // ioredis reports every failed reconnect as an 'error' event; without listeners they would be
  // unhandled. The readiness probe is where an outage shows.
  bullmqRedis.on('error', () => undefined);
  probeRedis.on('error', () => undefined);

  const connection = { connection: bullmqRedis, prefix: config.queuePrefix };
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, connection);
  maintenanceQueue.on('error', (error) => logger.warn({ err: error }, 'maintenance queue error'));
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const agents = createAgentEngine({
    config,
    db: database.db,
    connection: bullmqRedis,
    workerId,
    logger,
  });
  // Queue handles for `/metrics` (depth per state); the maintenance queue is already open.
  const scheduleQueue = createScheduleQueue({
    connection: bullmqRedis,
    prefix: config.queuePrefix,
    log: logger,
  });
  const depthQueues = [new Queue(STEPS_QUEUE, connection), scheduleQueue.queue];
  for (const queue of depthQueues) queue.on('error', () => undefined);
  const metrics = createWorkerMetrics({ queues: [...depthQueues, maintenanceQueue], log: logger });
  agents.engine.providers = metrics.instrumentProviders(agents.engine.providers);
  // Started by `run()` below, once the health server listens, so a busy port takes no job.
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    createJobDispatcher({
      queueName: MAINTENANCE_QUEUE,
      processors: {
        ...MAINTENANCE_PROCESSORS,
        [MAINTENANCE_JOBS.reapStalledSteps]: createReapStalledStepsProcessor(
          { redis: agents.engine.redis, queue: agents.engine.queue },
          // Two leases: 60 s by default. A step committed as queued is enqueued within
          // milliseconds unless its worker died in between.
          { queuedGraceMs: 2 * config.stepLeaseMs },
        ),
        ...deps.maintenanceProcessors,
      },
      db: database.db,
      logger,
    }),
    { ...connection, concurrency: config.concurrency, autorun: false },
  );
  worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
  metrics.observeReaper(worker, MAINTENANCE_JOBS.reapStalledSteps);
  const activeSteps = createActiveStepTracker();
  const stepsWorker = createStepWorker({
    ...connection,
    concurrency: config.stepConcurrency,
    engine: agents.engine,
    log: logger,
    autorun: false,
    lockDurationMs: config.stepLeaseMs,
    activeSteps,
  });
  stepsWorker.on('error', (error) => logger.warn({ err: error }, 'steps worker error'));
  metrics.observeStepsWorker(stepsWorker);
  const schedulesWorker = new Worker(
    SCHEDULES_QUEUE,
    createJobDispatcher({
      queueName: SCHEDULES_QUEUE,
      processors: {
        [SCHEDULED_RUN_JOB]: createRunScheduleProcessor({
          redis: agents.engine.redis,
          queue: agents.engine.queue,
          settings: { runMaxDurationMs: config.runMaxDurationMs },
        }),
      },
      db: database.db,
      logger,
    }),
    { ...connection, concurrency: config.concurrency, autorun: false },
  );
  schedulesWorker.on('error', (error) => logger.warn({ err: error }, 'schedules worker error'));

  let stopping = false;
  let schedulerState: 'pending' | 'registered' | 'failed' = 'pending';
  let migrationsApplied = false;
  const checks: ReadinessChecks = {
    postgres: async () =>
      (await pingDatabase(database.pool, PING_TIMEOUT_MS)) ? null : 'not reachable',
    redis: async () => ((await pingRedis(probeRedis, PING_TIMEOUT_MS)) ? null : 'not reachable'),
    migrations: async () => {
      // Applied migrations never become pending again, so one success is enough.
      if (migrationsApplied) return null;
      const status = await getMigrationStatus(database.pool).catch(() => undefined);
      if (!status) return 'cannot read the applied migrations';
      if (status.pending.length > 0) return `pending: ${status.pending.join(', ')}`;
      migrationsApplied = true;
      return null;
    },
    worker: async () => {
      if (stopping) return 'shutting down';
      if (!worker.isRunning()) return 'not running';
      if (!stepsWorker.isRunning()) return 'steps worker not running';
      if (!schedulesWorker.isRunning()) return 'schedules worker not running';
      if (schedulerState === 'failed') return 'job scheduler registration failed';
      if (schedulerState === 'pending') return 'job schedulers not registered yet';
      return null;
    },
  };

  // Closing a BullMQ connection mid-handshake (right after boot) makes BullMQ 5 reject the
  // handshake's commands with nobody listening: an unhandled rejection. With Redis up the
  // handshake takes milliseconds. With Redis down there is nothing to wait for, but each BullMQ
  // object still waits for the shared connection to become ready, and rejects once it ends: end
  // it now, while their error listeners are attached, rather than after they are closed.
  const settleHandshakes = async () => {
    if (!(await pingRedis(probeRedis, PING_TIMEOUT_MS))) {
      bullmqRedis.disconnect();
      return;
    }
    await settleWithin(
      Promise.all([
        worker.waitUntilReady(),
        stepsWorker.waitUntilReady(),
        schedulesWorker.waitUntilReady(),
        maintenanceQueue.waitUntilReady(),
        ...depthQueues.map((queue) => queue.waitUntilReady()),
      ]),
      HANDSHAKE_WAIT_MS,
    );
  };

  const server = createHealthServer({
    checks,
    log: logger,
    metrics: {
      contentType: metrics.contentType,
      render: () => metrics.render(),
      ...(config.metricsToken === undefined ? {} : { token: config.metricsToken }),
    },
  });
  try {
    server.listen(config.healthPort, config.healthHost);
    await once(server, 'listening');
  } catch (error) {
    await settleHandshakes();
    await Promise.allSettled([
      worker.close(),
      stepsWorker.close(),
      schedulesWorker.close(),
      maintenanceQueue.close(),
      ...depthQueues.map((queue) => queue.close()),
    ]);
    await agents.close();
    await Promise.allSettled([database.close(), closeRedis(bullmqRedis), closeRedis(probeRedis)]);
    throw error;
  }
  const address = server.address() as AddressInfo;
  worker
    .run()
    .catch((error: unknown) => logger.error({ err: error }, 'worker stopped on an error'));
  stepsWorker
    .run()
    .catch((error: unknown) => logger.error({ err: error }, 'steps worker stopped on an error'));
  schedulesWorker
    .run()
    .catch((error: unknown) =>
      logger.error({ err: error }, 'schedules worker stopped on an error'),
    );

  // The worker manager's view of this process (`GET /v1/admin/workers`).
  const startedAt = new Date().toISOString();
  const heartbeat: WorkerHeartbeat = startWorkerHeartbeat({
    redis: agents.engine.redis,
    prefix: config.queuePrefix,
    log: logger,
    snapshot: () => ({
      id: workerId,
      host: hostname(),
      pid: process.pid,
      startedAt,
      concurrency: {
        [STEPS_QUEUE]: config.stepConcurrency,
        [MAINTENANCE_QUEUE]: config.concurrency,
        [SCHEDULES_QUEUE]: config.concurrency,
      },
      currentSteps: activeSteps.list(),
    }),
  });

  const schedulersRegistered = registerSchedulers(maintenanceQueue, config).then(
    () => {
      schedulerState = 'registered';
      logger.info({ cron: config.auditRetentionCron }, 'job schedulers registered');
    },
    (error: unknown) => {
      // A shutdown that closes Redis under a pending registration is not a failure.
      if (stopping) return;
      schedulerState = 'failed';
      logger.error({ err: error }, 'job scheduler registration failed');
      throw error;
    },
  );
  // Already logged; callers that care await it, the rest must not see an unhandled rejection.
  schedulersRegistered.catch(() => undefined);
  const schedulesSynced = syncScheduleSchedulers({
    db: database.db,
    schedules: scheduleQueue,
  }).then(
    (result) => logger.info(result, 'schedules synced with their job schedulers'),
    (error: unknown) => {
      if (!stopping) logger.error({ err: error }, 'syncing the schedules failed');
    },
  );

  logger.info(
    {
      queue: MAINTENANCE_QUEUE,
      prefix: config.queuePrefix,
      concurrency: config.concurrency,
      stepConcurrency: config.stepConcurrency,
      workerId,
      health: `http://${address.address}:${address.port}`,
      postgres: redactUrl(config.databaseUrl),
      redis: redactUrl(config.redisUrl),
    },
    'workers started',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      logger.info('workers stopping');
      await settleHandshakes();
      const closed = await Promise.all(
        [worker, stepsWorker, schedulesWorker].map((each) =>
          closeWorkerGracefully(each, { timeoutMs: config.shutdownTimeoutMs, log: logger }),
        ),
      );
      const forced = closed.some((result) => result.forced);
      // After the drain, so the steps still finishing stay visible until they end.
      await heartbeat.stop();
      await agents.close();
      await maintenanceQueue.close().catch((error: unknown) => {
        logger.warn({ err: error }, 'closing the maintenance queue failed');
      });
      await Promise.allSettled(depthQueues.map((queue) => queue.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([closeRedis(bullmqRedis), closeRedis(probeRedis)]);
      await database.close();
      logger.info({ forced }, 'workers stopped');
    })();
    return closing;
  };

  return {
    workerId,
    worker,
    stepsWorker,
    schedulesWorker,
    engine: agents.engine,
    maintenanceQueue,
    db: database.db,
    logger,
    health: { host: address.address, port: address.port },
    schedulersRegistered,
    schedulesSynced,
    close,
  };
}

/** QUIT when connected (flushes pending replies); otherwise just drop the reconnect loop. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
