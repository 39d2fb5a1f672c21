import { Client, type Pool } from 'pg';
import type { Logger } from '@switchyard/shared';
import { getPgErrorCode } from './errors';
import {
  listMigrationFiles,
  resolveMigrationsDir,
  type MigrationsDirOptions,
} from './migration-files';

/**
 * Key of the session-level advisory lock that serialises migrators: arbitrary, but every version
 * of the app must use the same one. Advisory locks are scoped to one database, so migrators of
 * different databases on one server never wait for each other.
 */
const MIGRATION_LOCK_KEY = '8316020275773992295';
const MIGRATIONS_TABLE = 'public.__migrations';

export type RunMigrationsOptions = MigrationsDirOptions & {
  url: string;
  log?: Pick<Logger, 'info'>;
  /** How long to wait for another process that is migrating the same database. */
  lockTimeoutMs?: number;
};

/**
 * Applies pending SQL migrations, each file in its own transaction, recording it in
 * `__migrations`. Safe to run repeatedly and from several processes at once: a session advisory
 * lock on a dedicated connection lets one migrator work while the others wait, after which they
 * find nothing left to do. Throws if an applied file was edited afterwards.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<{ applied: string[] }> {
  const files = await listMigrationFiles(resolveMigrationsDir(options));
  // Not the app pool: no statement timeout, since a migration may legitimately run for minutes.
  const client = new Client({
    connectionString: options.url,
    application_name: 'switchyard-migrate',
    connectionTimeoutMillis: 10_000,
  });
  // A connection lost while idle emits 'error'; the pending query rejects with it anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 10 * 60_000);
    try {
      await client.query(
        `create table if not exists ${MIGRATIONS_TABLE} (
          name text primary key,
          hash text not null,
          applied_at timestamptz not null default now()
        )`,
      );
      const done = await readApplied(client);
      const applied: string[] = [];
      for (const file of files) {
        const recordedHash = done.get(file.name);
        if (recordedHash !== undefined) {
          if (recordedHash !== file.hash) {
            throw new Error(
              `Migration ${file.name} was changed after it was applied; add a new migration instead.`,
            );
          }
          continue;
        }
        options.log?.info({ migration: file.name }, 'applying migration');
        await applyFile(client, file);
        applied.push(file.name);
      }
      return { applied };
    } finally {
      // Ending the session below releases the lock too; unlocking first just frees it sooner.
      await client
        .query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY])
        .catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Migrations applied and pending in the database behind `pool`, for readiness checks: one cheap
 * query; the file list is read once per process.
 */
export async function getMigrationStatus(
  pool: Pick<Pool, 'query'>,
  options: MigrationsDirOptions = {},
): Promise<{ applied: number; pending: string[] }> {
  const files = await listMigrationFiles(resolveMigrationsDir(options));
  const done = await readApplied(pool);
  return {
    applied: done.size,
    pending: files.filter((file) => !done.has(file.name)).map((file) => file.name),
  };
}

async function acquireLock(client: Client, timeoutMs: number): Promise<void> {
  await client.query(`select set_config('lock_timeout', $1, false)`, [`${timeoutMs}ms`]);
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  } catch (error) {
    if (getPgErrorCode(error) === '55P03') {
      throw new Error(
        `Another process kept the migration lock for more than ${timeoutMs} ms; is a migration stuck?`,
        { cause: error },
      );
    }
    throw error;
  }
  await client.query(`select set_config('lock_timeout', '0', false)`);
}

/** name -> hash of every applied migration; empty when the table does not exist yet. */
async function readApplied(queryable: Pick<Pool, 'query'>): Promise<Map<string, string>> {
  try {
    const result = await queryable.query<{ name: string; hash: string }>(
      `select name, hash from ${MIGRATIONS_TABLE}`,
    );
    return new Map(result.rows.map((row) => [row.name, row.hash]));
  } catch (error) {
    if (getPgErrorCode(error) === '42P01') return new Map();
    throw error;
  }
}

async function applyFile(client: Client, file: { name: string; sql: string; hash: string }) {
  await client.query('begin');
  try {
    await client.query(file.sql);
    await client.query(`insert into ${MIGRATIONS_TABLE} (name, hash) values ($1, $2)`, [
      file.name,
      file.hash,
    ]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${file.name} failed: ${reason}`, { cause: error });
  }
}
