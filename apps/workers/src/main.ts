import { createDatabase, getMigrationStatus, pingDatabase } from '@switchyard/database';
import {
  createLogger,
  createRedis,
  exitWithSettingError,
  pingRedis,
  redactUrl,
  type Logger,
} from '@switchyard/shared';
import { loadWorkersConfigOrExit, WORKERS_APP_NAME, type WorkersConfig } from './env';
import { startWorkers, type WorkersApp } from './worker-app';

const APP_NAME = WORKERS_APP_NAME;
const BOOT_PING_TIMEOUT_MS = 5_000;

async function main(): Promise<void> {
  const config = loadWorkersConfigOrExit();
  const logger = createLogger({
    name: 'workers',
    level: config.logLevel,
    pretty: config.logPretty,
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  await checkPostgres(config, logger);
  await checkRedis(config);

  let app: WorkersApp;
  try {
    app = await startWorkers(config, { logger });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      exitWithSettingError(
        APP_NAME,
        'WORKERS_HEALTH_PORT',
        `cannot listen on ${config.healthHost}:${config.healthPort} (${code}); stop the process using it or set WORKERS_HEALTH_PORT (and WORKERS_HEALTH_HOST) to a free address`,
      );
    }
    throw error;
  }
  handleShutdownSignals(app, logger);

  try {
    await app.schedulersRegistered;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await app.close();
    exitWithSettingError(
      APP_NAME,
      'AUDIT_RETENTION_CRON',
      `BullMQ refused the job scheduler (${reason}); set a valid cron pattern such as "17 3 * * *"`,
    );
  }
}

async function checkPostgres(config: WorkersConfig, logger: Logger): Promise<void> {
  const database = createDatabase({ url: config.databaseUrl, max: 1, applicationName: APP_NAME });
  const reachable = await pingDatabase(database.pool, BOOT_PING_TIMEOUT_MS);
  const status = reachable
    ? await getMigrationStatus(database.pool).catch(() => undefined)
    : undefined;
  await database.close();
  if (!reachable) {
    exitWithSettingError(
      APP_NAME,
      'DATABASE_URL',
      `cannot reach PostgreSQL at ${redactUrl(config.databaseUrl)}; start it (\`npm start\` runs an embedded one) or set DATABASE_URL to a reachable server`,
    );
  }
  if (status && status.pending.length > 0) {
    // Not fatal: a deploy may start workers before its migrate job finishes; /readyz reports it.
    logger.warn({ pending: status.pending }, 'database migrations pending; run `npm run migrate`');
  }
}

async function checkRedis(config: WorkersConfig): Promise<void> {
  const redis = createRedis(config.redisUrl, { name: `${APP_NAME}-boot`, lazyConnect: true });
  redis.on('error', () => undefined);
  const reachable = await pingRedis(redis, BOOT_PING_TIMEOUT_MS);
  redis.disconnect();
  if (!reachable) {
    exitWithSettingError(
      APP_NAME,
      'REDIS_URL',
      `cannot reach Redis at ${redactUrl(config.redisUrl)}; start redis-server or set REDIS_URL to a reachable server`,
    );
  }
}

/**
 * SIGTERM/SIGINT close the app gracefully (active jobs finish, up to SHUTDOWN_TIMEOUT_MS) and exit
 * 0. A second signal exits at once; jobs cut off are retried after their lock expires.
 */
function handleShutdownSignals(app: WorkersApp, logger: Logger): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal; exiting without waiting for active jobs');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutdown requested');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${APP_NAME}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
