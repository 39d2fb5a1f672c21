/**
 * Entry point (`node dist/server.js`, `tsx src/server.ts`): checks settings and dependencies,
 * listens, and shuts down gracefully on SIGTERM/SIGINT. Everything testable lives in app.ts.
 */
import { getMigrationStatus, type DatabaseHandle } from '@switchyard/database';
import {
  createLogger,
  exitWithSettingError,
  pingRedis,
  redactUrl,
  type Logger,
} from '@switchyard/shared';
import { buildApp, type App } from './app';
import { closeRedis, openDatabase, openRedis } from './connections';
import { APP_NAME, loadApiConfigOrExit, type ApiConfig } from './env';

const BOOT_CHECK_TIMEOUT_MS = 5_000;

const EMBEDDED_HINT = 'so `npm start` uses the embedded default';

async function main(): Promise<void> {
  const config = loadApiConfigOrExit();
  const logger = createLogger({ name: APP_NAME, level: config.logLevel, pretty: config.logPretty });
  const database = openDatabase(config, logger);
  const redis = openRedis(config, logger);

  let redisError = '';
  const recordRedisError = (error: Error) => {
    redisError = ` (${describeError(error)})`;
  };
  redis.on('error', recordRedisError);
  const [postgresProblem, redisOk] = await Promise.all([
    probePostgres(database),
    pingRedis(redis, BOOT_CHECK_TIMEOUT_MS),
  ]);
  redis.off('error', recordRedisError);
  if (postgresProblem !== undefined) {
    exitWithSettingError(
      APP_NAME,
      'DATABASE_URL',
      `cannot connect to PostgreSQL at ${redactUrl(config.databaseUrl)} (${postgresProblem}); start it, or unset DATABASE_URL ${EMBEDDED_HINT}`,
    );
  }
  if (!redisOk) {
    exitWithSettingError(
      APP_NAME,
      'REDIS_URL',
      `cannot connect to Redis at ${redactUrl(config.redisUrl)}${redisError}; start it, or unset REDIS_URL ${EMBEDDED_HINT}`,
    );
  }
  await warnAboutPendingMigrations(database, logger);

  const app = await buildApp(config, { database, redis, logger });
  const closeConnections = async () => {
    await Promise.all([database.close(), closeRedis(redis)]);
  };
  handleShutdown(app, config, logger, closeConnections);
  await listen(app, config);
}

/** Why PostgreSQL cannot be used, or undefined when a query succeeds. */
async function probePostgres(database: DatabaseHandle): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`no answer within ${BOOT_CHECK_TIMEOUT_MS} ms`),
      BOOT_CHECK_TIMEOUT_MS,
    );
  });
  const query = database.pool.query('select 1').then(
    () => undefined,
    (error: unknown) => describeError(error),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error && error.message !== '') return error.message;
  if (error instanceof Error && 'code' in error) return String(error.code);
  return String(error);
}

/** Pending migrations do not stop the API, but /readyz reports it not ready until they run. */
async function warnAboutPendingMigrations(database: DatabaseHandle, logger: Logger): Promise<void> {
  try {
    const { pending } = await getMigrationStatus(database.pool);
    if (pending.length > 0) {
      logger.warn(
        { pending },
        'database migrations are pending; run `npm run migrate` (/readyz answers 503 until then)',
      );
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not read the database migration status');
  }
}

async function listen(app: App, config: ApiConfig): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE') {
      exitWithSettingError(
        APP_NAME,
        'API_PORT',
        `port ${config.port} is in use; set API_PORT to a free port`,
      );
    }
    if (code === 'EACCES') {
      exitWithSettingError(
        APP_NAME,
        'API_PORT',
        `port ${config.port} needs privileges; set API_PORT to a port above 1023`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      exitWithSettingError(
        APP_NAME,
        'API_HOST',
        `cannot listen on ${config.host}; set API_HOST to an address of this machine (127.0.0.1 or 0.0.0.0)`,
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  app.log.info(
    { url, docs: config.docsEnabled ? `${url}/docs` : undefined },
    `api listening on ${url}`,
  );
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the pools,
 * exit 0. If that takes longer than SHUTDOWN_TIMEOUT_MS, or a second signal arrives, exit 1.
 */
function handleShutdown(
  app: App,
  config: ApiConfig,
  logger: Logger,
  closeConnections: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal received; exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting anyway',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();

    app
      .close()
      .then(closeConnections)
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${APP_NAME}: failed to start: ${message}\n`);
  process.exit(1);
});
