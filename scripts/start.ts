/**
 * `npm start` (and `npm run dev` with --dev): brings the whole platform up on one machine.
 * Embedded PostgreSQL and Redis when no URLs are set, then build, migrate, and run api, workers
 * and web together with prefixed logs. Ctrl-C stops everything cleanly.
 */
import path from 'node:path';
import { runMigrations, createDatabaseIfMissing } from '@switchyard/database';
import {
  ConfigError,
  createLogger,
  DEFAULT_REDIS_URL,
  parseConfig,
  redactUrl,
} from '@switchyard/shared';
import { loadDotEnv, REPO_ROOT, startEnvSchema, type StartConfig } from './lib/env';
import { ensureAuthSecret } from './lib/auth-secret';
import { startDetachedPostgres } from './lib/detached-postgres';
import { ensureRedis } from './lib/embedded-redis';
import { isPortFree } from './lib/ports';
import {
  runToCompletion,
  startProcess,
  stopAll,
  waitForHttp,
  type ManagedProcess,
} from './lib/processes';

const isDev = process.argv.includes('--dev');
const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);
const log = createLogger({ name: 'start', pretty: process.stdout.isTTY, level: 'info' });

function fail(message: string): never {
  process.stderr.write(`start: ${message}\n`);
  process.exit(1);
}

function readConfig(): StartConfig {
  loadDotEnv();
  try {
    return parseConfig(startEnvSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nSee .env.example for every setting.`);
    throw error;
  }
}

async function checkPorts(config: StartConfig): Promise<void> {
  const wanted: Array<[string, number]> = [
    ['API_PORT', config.API_PORT],
    ['WORKERS_HEALTH_PORT', config.WORKERS_HEALTH_PORT],
    ['WEB_PORT', config.WEB_PORT],
  ];
  for (const [setting, port] of wanted) {
    if (!(await isPortFree(port))) {
      fail(
        `${setting}: port ${port} is in use (is Switchyard already running?). Stop what uses it or set ${setting} to a free port.`,
      );
    }
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  await checkPorts(config);
  const dataDir = path.resolve(REPO_ROOT, config.DATA_DIR);
  const cleanups: Array<() => Promise<void>> = [];

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startDetachedPostgres({ dataDir }).catch((error: Error) =>
      fail(`DATABASE_URL is not set and ${error.message}`),
    );
    cleanups.push(postgres.stop);
    databaseUrl = postgres.url;
  }

  const redis = await ensureRedis({
    url: config.REDIS_URL ?? DEFAULT_REDIS_URL,
    dataDir,
    log,
  }).catch((error: Error) => fail(`REDIS_URL: ${error.message}`));
  cleanups.push(redis.stop);

  const stopServices = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    await createDatabaseIfMissing(databaseUrl);
    const { applied } = await runMigrations({ url: databaseUrl, log });
    log.info({ database: redactUrl(databaseUrl), applied: applied.length }, 'database migrated');
  } catch (error) {
    await stopServices();
    fail(`DATABASE_URL: cannot prepare ${redactUrl(databaseUrl)}: ${(error as Error).message}`);
  }

  const apiUrl = `http://127.0.0.1:${config.API_PORT}`;
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.WEB_PORT}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: isDev ? 'development' : 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    // Absolute, since each app runs in its own folder.
    DATA_DIR: dataDir,
    API_INTERNAL_URL: apiUrl,
    PUBLIC_URL: publicUrl,
    LOG_PRETTY: process.env.LOG_PRETTY ?? String(Boolean(process.stdout.isTTY)),
    AUTH_SECRET: process.env.AUTH_SECRET ?? (await ensureAuthSecret(dataDir)),
    // A local install shows its API reference; set DOCS_ENABLED=false to hide it.
    DOCS_ENABLED: process.env.DOCS_ENABLED ?? 'true',
    TURBO_TELEMETRY_DISABLED: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };

  if (!isDev) {
    log.info('building api, workers and web (cached after the first time)');
    const code = await runToCompletion({
      command: bin('turbo'),
      args: [
        'run',
        'build',
        '--output-logs=errors-only',
        '--filter=@switchyard/api',
        '--filter=@switchyard/workers',
        '--filter=@switchyard/web',
      ],
      cwd: REPO_ROOT,
      env: childEnv,
    });
    if (code !== 0) {
      await stopServices();
      fail('the build failed (see the output above).');
    }
  }

  const specs = isDev
    ? [
        { name: 'api', command: bin('tsx'), args: ['watch', 'src/server.ts'], cwd: 'apps/api' },
        {
          name: 'workers',
          command: bin('tsx'),
          args: ['watch', 'src/main.ts'],
          cwd: 'apps/workers',
        },
        {
          name: 'web',
          command: bin('next'),
          args: ['dev', '-H', config.WEB_HOST, '-p', String(config.WEB_PORT)],
          cwd: 'apps/web',
        },
      ]
    : [
        { name: 'api', command: process.execPath, args: ['dist/server.js'], cwd: 'apps/api' },
        { name: 'workers', command: process.execPath, args: ['dist/main.js'], cwd: 'apps/workers' },
        {
          name: 'web',
          command: bin('next'),
          args: ['start', '-H', config.WEB_HOST, '-p', String(config.WEB_PORT)],
          cwd: 'apps/web',
        },
      ];
  const processes: ManagedProcess[] = specs.map((spec, index) =>
    startProcess({ ...spec, cwd: path.join(REPO_ROOT, spec.cwd), env: childEnv, index }),
  );

  let stopping = false;
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping api, workers and web');
    await stopAll(processes, 20_000);
    await stopServices();
    log.info('stopped');
    process.exit(exitCode);
  };
  // The embedded PostgreSQL runs detached, out of reach of the terminal's Ctrl-C: the apps drain
  // first, then `stopServices` stops it.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // A closed terminal: the apps run in their own process groups and would not hear of it.
  process.on('SIGHUP', () => void shutdown(0));
  for (const proc of processes) {
    void proc.exited.then((code) => {
      if (!stopping) {
        log.error(
          { process: proc.name, code },
          `${proc.name} exited unexpectedly; stopping the rest`,
        );
        void shutdown(1);
      }
    });
  }

  const webUrl = `http://127.0.0.1:${config.WEB_PORT}`;
  const ready = await waitForHttp(`${webUrl}/api/readyz`, isDev ? 180_000 : 120_000);
  if (stopping) return;
  if (ready) {
    log.info(
      `Switchyard is running at ${publicUrl}  (API docs: ${publicUrl}/api/docs). Press Ctrl-C to stop.`,
    );
  } else {
    log.warn(`the web app did not answer at ${webUrl} yet; still waiting (logs above)`);
  }
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
