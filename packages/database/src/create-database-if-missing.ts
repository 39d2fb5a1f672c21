import { Client, escapeIdentifier } from 'pg';
import { getPgErrorCode } from './errors';

/**
 * Creates the database named in `url` when it does not exist, connecting to the `postgres`
 * database of the same server (same credentials) to do so. Resolves true if it created it.
 * Concurrent callers are safe: losing the race to create it counts as "already there".
 */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (name === '') throw new Error('The database URL names no database.');

  // Connecting to the database itself needs no extra privilege, so try that first.
  if (await canConnect(url)) return false;

  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({
    connectionString: admin.toString(),
    application_name: 'switchyard-migrate',
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount) return false;
    await client.query(`create database ${escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    // 42P04 duplicate_database; 23505 when two creators collide on pg_database's unique index.
    const code = getPgErrorCode(error);
    if (code === '42P04' || code === '23505') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when `url` accepts a connection; false only when its database does not exist. */
async function canConnect(url: string): Promise<boolean> {
  const client = new Client({
    connectionString: url,
    application_name: 'switchyard-migrate',
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (error) {
    // 3D000 invalid_catalog_name: the database is missing. Anything else (refused, bad password)
    // would fail the same way on the admin connection, so report it as is.
    if (getPgErrorCode(error) === '3D000') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
