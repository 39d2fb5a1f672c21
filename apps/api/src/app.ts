import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { HelmetOptions } from 'helmet';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RunQueue } from '@switchyard/agents';
import type { ThrottleSettings } from '@switchyard/auth';
import type { DatabaseHandle } from '@switchyard/database';
import { createLogger, type Logger, type Redis } from '@switchyard/shared';
import { closeRedis, openDatabase, openRedis } from './connections';
import { APP_NAME, type ApiConfig } from './env';
import { authenticatePlugin } from './plugins/authenticate';
import { frozenPayloadSerializerCompiler } from './plugins/frozen-payload-serializer';
import { gracefulClosePlugin } from './plugins/graceful-close';
import { openApiPlugin } from './plugins/openapi';
import { metricsPlugin } from './plugins/metrics';
import { handleFrameworkError, problemDetailsPlugin } from './plugins/problem-details';
import { rateLimitsPlugin, type RateLimitOverrides } from './plugins/rate-limits';
import { genReqId, requestIdPlugin } from './plugins/request-id';
import { recordRoutes } from './plugins/route-registry';
import { RequestLogController } from './plugins/request-logging';
import { securityHeadersPlugin } from './plugins/security-headers';
import { healthRoutes } from './routes/health';
import { testOnlyRoutes } from './routes/test-only';
import { v1Routes } from './routes/v1';
import { createLazyAdminQueues } from './services/create-lazy-admin-queues';
import { createLazyRunQueue } from './services/create-lazy-run-queue';
import { createRunEventsHub } from './services/create-run-events-hub';

export type AppDeps = {
  /** Open PostgreSQL handle. Created from `config.databaseUrl` when omitted, and then closed with the app. */
  database?: Pick<DatabaseHandle, 'db' | 'pool'>;
  /** Redis client. Created from `config.redisUrl` when omitted, and then closed with the app. */
  redis?: Redis;
  /** Root logger; one is created from `config.logLevel`/`config.logPretty` when omitted. */
  logger?: Logger;
  /** Replaces some of the route rate limits of `plugins/rate-limits.ts` (tests). */
  rateLimits?: RateLimitOverrides;
  /** Replaces the progressive delays after failed sign-ins (tests). */
  throttle?: ThrottleSettings;
  /** Clock of the per-principal API rate limit, in ms since the epoch (tests). */
  rateLimitClock?: () => number;
  /** The workers' `steps` queue. Created from `config.redisUrl` when omitted, and then closed with the app. */
  runQueue?: RunQueue;
};

export type App = FastifyInstance;

/**
 * helmet's defaults with a CSP for a JSON API: responses load nothing and are never framed
 * (Swagger UI's pages set their own). Stricter than helmet's page-oriented default, and shorter.
 */
const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
};

/**
 * The API as a Fastify instance, for `inject()` or `listen()` (which the caller does). Not yet
 * `ready()`, so a test can still add routes.
 * Connections it creates are closed by `app.close()`; injected ones belong to the caller.
 */
export async function buildApp(config: ApiConfig, deps: AppDeps = {}): Promise<App> {
  const logger =
    deps.logger ??
    createLogger({ name: APP_NAME, level: config.logLevel, pretty: config.logPretty });
  const closers: Array<() => Promise<void>> = [];
  let database = deps.database;
  if (!database) {
    const handle = openDatabase(config, logger);
    closers.push(handle.close);
    database = handle;
  }
  let redis = deps.redis;
  if (!redis) {
    const client = openRedis(config, logger);
    closers.push(() => closeRedis(client));
    redis = client;
  }
  let runQueue = deps.runQueue;
  if (!runQueue) {
    const queue = createLazyRunQueue({
      redisUrl: config.redisUrl,
      prefix: config.runs.queuePrefix,
      log: logger,
    });
    closers.push(() => queue.close());
    runQueue = queue;
  }
  const runEvents = createRunEventsHub({ redisUrl: config.redisUrl, log: logger });
  closers.push(() => runEvents.close());
  const adminQueues = createLazyAdminQueues({
    redisUrl: config.redisUrl,
    prefix: config.runs.queuePrefix,
    log: logger,
  });
  closers.push(() => adminQueues.close());

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLogController(),
    genReqId,
    // genReqId reads x-request-id itself, after checking it is a sane token.
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // SECURITY.md 29: X-Forwarded-* only from the configured proxies.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.addHook('onClose', async () => {
    await Promise.all(closers.map((close) => close()));
  });

  try {
    // Before any plugin: the deny-by-default test checks every route, plugins' own included.
    recordRoutes(app);
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(frozenPayloadSerializerCompiler);
    // JSON only (SECURITY.md 24: one content type per route); anything else is answered 415.
    app.removeContentTypeParser('text/plain');

    await app.register(requestIdPlugin);
    await app.register(gracefulClosePlugin);
    await app.register(problemDetailsPlugin);
    await app.register(securityHeadersPlugin, { helmet: API_HELMET_OPTIONS });
    await app.register(fastifyCors, { origin: config.corsOrigins });
    await app.register(fastifyCookie);
    // Every route registered after this declares `config.policy` (deny by default).
    await app.register(authenticatePlugin, {
      config,
      deps: { db: database.db, redis, log: logger },
      throttle: deps.throttle,
      now: deps.rateLimitClock,
    });
    await app.register(rateLimitsPlugin, { redis, overrides: deps.rateLimits });
    if (config.docsEnabled) await app.register(openApiPlugin, { publicPath: config.publicPath });
    if (config.metricsToken) {
      await app.register(metricsPlugin, {
        queues: async () => Object.values((await adminQueues.open()).queues),
        log: logger,
      });
    }

    await app.register(healthRoutes, { pool: database.pool, redis });
    await app.register(v1Routes, {
      db: database.db,
      redis,
      log: logger,
      config,
      runQueue,
      runEvents,
      adminQueues,
    });
    if (config.testSlowRoute && config.nodeEnv === 'test') await app.register(testOnlyRoutes);
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
