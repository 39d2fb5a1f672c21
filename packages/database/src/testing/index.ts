import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, escapeIdentifier, type Pool } from 'pg';
import { createLogger, DEFAULT_DATABASE_URL } from '@switchyard/shared';
import { createDatabase, type Database } from '../client';
import { runMigrations } from '../migrate';

export const DEFAULT_TEST_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type CreateTestDatabaseOptions = {
  /** Server to create the database on; defaults to `TEST_DATABASE_URL`, then local Postgres. */
  adminUrl?: string;
  /** Apply the migrations (default true); false leaves an empty database. */
  migrate?: boolean;
  /** Pool size of the returned `db`. */
  max?: number;
};

export type TestDatabase = {
  url: string;
  db: Database;
  pool: Pool;
  /** Closes the pool and drops the database, even with other sessions still connected. */
  drop: () => Promise<void>;
};

/** A fresh, uniquely named database (`sy_test_<random>`) for one test file, migrated by default. */
export async function createTestDatabase(
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? (await resolveTestAdminUrl());
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) =>
    client.query(`create database ${escapeIdentifier(name)}`),
  );
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  const url = target.toString();

  let handle: ReturnType<typeof createDatabase> | undefined;
  const drop = async () => {
    await handle?.close();
    await withAdminClient(adminUrl, (client) =>
      client.query(`drop database if exists ${escapeIdentifier(name)} with (force)`),
    );
  };
  try {
    if (options.migrate ?? true) await runMigrations({ url });
    handle = createDatabase({ url, max: options.max ?? 5, applicationName: 'switchyard-test' });
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, db: handle.db, pool: handle.pool, drop };
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'switchyard-test-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let adminUrlPromise: Promise<string> | undefined;

/**
 * `TEST_DATABASE_URL` when set; else the local PostgreSQL on 5432 when it answers; else the
 * embedded PostgreSQL of `npm start` (started under the repository's `.data/` if needed), so
 * `npm test` works on a machine without a PostgreSQL server.
 */
export function resolveTestAdminUrl(): Promise<string> {
  adminUrlPromise ??= (async () => {
    if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
    if (await canConnect(DEFAULT_TEST_ADMIN_URL)) return DEFAULT_TEST_ADMIN_URL;
    const { startEmbeddedPostgres } = await import('../embedded');
    const dataDir = path.resolve(import.meta.dirname, '../../../../.data');
    const log = createLogger({ name: 'test-database', level: 'warn' });
    const embedded = await startEmbeddedPostgres({ dataDir, log }).catch(async (error: unknown) => {
      // Another test process may have started it a moment earlier.
      const url = DEFAULT_DATABASE_URL;
      if (await canConnect(url)) return { url };
      throw error;
    });
    const admin = new URL(embedded.url);
    admin.pathname = '/postgres';
    return admin.toString();
  })();
  return adminUrlPromise;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
