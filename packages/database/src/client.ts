import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import type { Logger } from '@switchyard/shared';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** What query functions accept: the database itself or an open transaction. */
export type DatabaseExecutor = Database | Transaction;

export type CreateDatabaseOptions = {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Most connections this pool opens. */
  max?: number;
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /** Server-side limit per statement; a runaway query is cancelled rather than holding a connection. */
  statementTimeoutMs?: number;
  /** An idle pooled connection is closed after this long. */
  idleTimeoutMs?: number;
  /** Acquiring a connection (including connecting) fails after this long instead of hanging. */
  connectionTimeoutMs?: number;
  /** Receives errors of idle connections (server restart, network drop). */
  log?: Pick<Logger, 'warn'>;
};

export type DatabaseHandle = {
  db: Database;
  pool: Pool;
  /** Ends every connection. Safe to call more than once. */
  close: () => Promise<void>;
};

export function createDatabase(options: CreateDatabaseOptions): DatabaseHandle {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'switchyard',
    statement_timeout: statementTimeoutMs,
    // A transaction left open by a bug must not hold locks for ever.
    idle_in_transaction_session_timeout: Math.max(statementTimeoutMs, 60_000),
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    keepAlive: true,
  });
  // Without a listener, an error on an idle client (for example the server restarting) is an
  // unhandled 'error' event and kills the process. The pool discards that client by itself.
  // pg-pool hangs the whole client (connection settings included) on the error: log only what
  // says why.
  pool.on('error', (error: Error & { code?: string }) => {
    options.log?.warn(
      { err: { type: error.name, message: error.message, code: error.code } },
      'idle PostgreSQL connection failed; it was discarded',
    );
  });

  const db = drizzle({ client: pool, schema });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= pool.end();
    return closing;
  };
  return { db, pool, close };
}

/**
 * Lets the transaction's COMMIT return without waiting for its WAL record to reach the disk
 * (`synchronous_commit = off` for this transaction only): a crash of the PostgreSQL server in the
 * next few hundred milliseconds may undo it, never corrupt anything. Only for writes nobody acts
 * on before a later synchronous commit, which flushes them too (WAL is flushed in order).
 */
export async function deferCommitFlush(tx: Transaction): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/**
 * Resolves true when the database answers `select 1` within `timeoutMs`. Never throws, so it can
 * back a readiness probe directly.
 */
export async function pingDatabase(target: Database | Pool, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query =
      target instanceof Pool ? target.query('select 1 as ok') : target.execute(sql`select 1 as ok`);
    // The query may settle after the timeout won the race; its outcome is then ignored.
    const ping = query.then(
      (result) => result.rows.length === 1,
      () => false,
    );
    return await Promise.race([ping, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
