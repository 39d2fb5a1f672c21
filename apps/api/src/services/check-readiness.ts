import { getMigrationStatus, pingDatabase, type DatabaseHandle } from '@switchyard/database';
import { pingRedis, type Logger, type Redis } from '@switchyard/shared';

export type ReadinessChecks = {
  postgres: 'ok' | 'unreachable';
  redis: 'ok' | 'unreachable';
  /** `unknown` when PostgreSQL could not be asked. */
  migrations: 'ok' | 'pending' | 'unknown';
};

export type Readiness = {
  ready: boolean;
  checks: ReadinessChecks;
  /** One phrase per failing check, naming the dependency, for the response's `detail`. */
  failures: string[];
};

export type CheckReadinessOptions = {
  pool: DatabaseHandle['pool'];
  redis: Redis;
  log: Pick<Logger, 'warn'>;
  /** Per check; the checks run in parallel, so this bounds the whole call. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 1_000;

/** Whether this instance can serve traffic: PostgreSQL and Redis answer, no migration pending. */
export async function checkReadiness(options: CheckReadinessOptions): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const [postgresOk, redisOk, migrations] = await Promise.all([
    pingDatabase(options.pool, timeoutMs),
    pingRedis(options.redis, timeoutMs),
    withTimeout(getMigrationStatus(options.pool), timeoutMs).then(
      (status) => ({ status, error: undefined }),
      (error: unknown) => ({ status: undefined, error }),
    ),
  ]);

  const checks: ReadinessChecks = {
    postgres: postgresOk ? 'ok' : 'unreachable',
    redis: redisOk ? 'ok' : 'unreachable',
    migrations: 'unknown',
  };
  const failures: string[] = [];
  if (!postgresOk) failures.push('postgres is unreachable');
  if (!redisOk) failures.push('redis is unreachable');

  if (migrations.status) {
    const pending = migrations.status.pending.length;
    checks.migrations = pending === 0 ? 'ok' : 'pending';
    if (pending > 0) failures.push(`migrations are pending (${pending}); run \`npm run migrate\``);
  } else if (postgresOk) {
    // With PostgreSQL down this failure is expected and already reported above.
    options.log.warn({ err: migrations.error }, 'could not read the migration status');
    failures.push('migrations status could not be read');
  }
  return { ready: failures.length === 0, checks, failures };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
