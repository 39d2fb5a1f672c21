import { sql } from 'drizzle-orm';
import {
  drizzle,
  NodePgSession,
  NodePgTransaction,
  type NodePgDatabase,
} from 'drizzle-orm/node-postgres';
import { Pool, type PoolClient } from 'pg';
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
    // Queries issued without waiting for the previous one's answer go out at once (and in one
    // write when issued together), so a transaction's BEGIN travels with its first statement
    // and its COMMIT with its last (`runTransaction`).
    pipeline: true,
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

type DrizzleInternals = {
  dialect: ConstructorParameters<typeof NodePgSession>[1];
  session: {
    client: unknown;
    schema: ConstructorParameters<typeof NodePgSession>[2];
    options: ConstructorParameters<typeof NodePgSession>[3];
  };
};

/**
 * `db.transaction(work)` with far fewer writes to the server: statements issued in the same
 * tick (BEGIN with the first statement, the statements of a `Promise.all`, `finish` with COMMIT)
 * go out pipelined in one write, each without waiting for the previous one's answer. It relies
 * on the pool's pipeline mode; elsewhere (a drizzle instance over a single client) it is plain
 * `db.transaction`.
 *
 * `finish` is the transaction's last statement, such as the events of a run change; it must send
 * its statement synchronously (before its first `await`) to travel with COMMIT, and one that
 * does not is awaited first. If it fails, PostgreSQL answers COMMIT with a rollback, and its
 * error is thrown.
 */
export async function runTransaction<T, F = undefined>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  finish?: (tx: Transaction, value: T) => Promise<F>,
): Promise<{ value: T; finished: F | undefined }> {
  const internals = db as unknown as DrizzleInternals;
  const pool = pipelinedPool(db);
  if (!pool) {
    return db.transaction(async (tx) => {
      const value = await work(tx);
      return { value, finished: finish ? await finish(tx, value) : undefined };
    });
  }
  const client = await pool.connect();
  const restore = batchWritesPerTick(client);
  const session = new NodePgSession(
    client,
    internals.dialect,
    internals.session.schema,
    internals.session.options,
  );
  const tx = new NodePgTransaction(
    internals.dialect,
    session,
    internals.session.schema,
  ) as unknown as Transaction;
  let broken: Error | undefined;
  const begun = client.query('begin');
  try {
    const value = await work(tx);
    await begun;
    let finishing: Promise<F> | undefined;
    if (finish && !issuesQuery(client, () => (finishing = finish(tx, value)))) await finishing;
    const [finished, committed] = await Promise.allSettled([finishing, client.query('commit')]);
    if (finished.status === 'rejected') throw finished.reason;
    if (committed.status === 'rejected') {
      broken = committed.reason as Error;
      throw committed.reason;
    }
    return { value, finished: finished.value };
  } catch (error) {
    if (!broken) {
      await begun.catch(() => undefined);
      // The transaction may already be over (a failed COMMIT); ROLLBACK then only warns.
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    }
    throw error;
  } finally {
    restore();
    // A connection whose COMMIT or ROLLBACK failed is in an unknown state: it is discarded.
    client.release(broken);
  }
}

/** A statement for `runPipelinedStatements`, named so PostgreSQL parses it once per connection. */
export type PipelinedStatement = { name: string; text: string; values: unknown[] };

/** The settings of `runPipelinedStatements`' transactions (see there). */
export const PIPELINED_TRANSACTION_SETTINGS =
  'set local plan_cache_mode = force_generic_plan; set local enable_seqscan = off';
/** BEGIN and the transaction's settings, as one simple-protocol message: one reply to wait for. */
const BEGIN_WITH_SETTINGS = `begin; ${PIPELINED_TRANSACTION_SETTINGS}`;

/**
 * Runs `statements` in one transaction sent in a single write (BEGIN, the statements, COMMIT)
 * and resolves their rows. The server still runs them one after the other, each with a snapshot
 * taken when it starts, so a statement that follows a lock sees everything committed before the
 * lock was granted (which one statement that both locks and reads could not). If one fails,
 * PostgreSQL answers COMMIT with a rollback and that statement's error is thrown.
 *
 * The transaction uses generic plans (`plan_cache_mode`): these are the engine's fixed-shape
 * statements, keyed by primary keys, whose custom planning on every execution cost PostgreSQL
 * more than running them (445 µs of planning per completion in `bench:agents`). A generic plan
 * is made once per connection, and on a new deployment's tables (a page each, no statistics) a
 * scan can look cheaper than a batch's key lookups; it would then stay as the tables grow. So
 * the planner is told to scan only where no index serves (`enable_seqscan`).
 */
export async function runPipelinedStatements(
  db: Database,
  statements: PipelinedStatement[],
): Promise<Record<string, unknown>[][]> {
  const pool = pipelinedPool(db);
  if (!pool) {
    return db.transaction(async (tx) => {
      const rows: Record<string, unknown>[][] = [];
      const client = (tx as unknown as DrizzleInternals).session.client as PoolClient;
      await client.query(PIPELINED_TRANSACTION_SETTINGS);
      for (const statement of statements) rows.push((await client.query(statement)).rows);
      return rows;
    });
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const socket = socketOf(client);
    let replies: Promise<{ rows: Record<string, unknown>[] }>[];
    socket.cork?.();
    try {
      replies = [
        client.query(BEGIN_WITH_SETTINGS),
        ...statements.map((statement) => client.query(statement)),
        client.query('commit'),
      ];
    } finally {
      socket.uncork?.();
    }
    const settled = await Promise.allSettled(replies);
    const commit = settled.pop();
    const failed = settled.find((reply) => reply.status === 'rejected');
    if (failed) throw failed.reason;
    if (commit?.status === 'rejected') {
      broken = commit.reason as Error;
      throw commit.reason;
    }
    return settled.slice(1).map((reply) => (reply.status === 'fulfilled' ? reply.value.rows : []));
  } finally {
    client.release(broken);
  }
}

/** The database's pool when it runs in pipeline mode (`createDatabase`), else undefined. */
function pipelinedPool(db: Database): Pool | undefined {
  const pool = (db as unknown as DrizzleInternals).session.client;
  return pool instanceof Pool && (pool.options as { pipeline?: boolean }).pipeline
    ? pool
    : undefined;
}

function socketOf(client: PoolClient): Partial<Corkable> {
  return (client as unknown as { connection: { stream: Partial<Corkable> } }).connection.stream;
}

type Corkable = { cork: () => void; uncork: () => void };

/**
 * Until `restore` is called, the client's socket is corked on the first query of a tick and
 * uncorked once the promise callbacks of that tick have run (`setImmediate`), so the queries
 * issued meanwhile (pipelined) share one write.
 */
function batchWritesPerTick(client: PoolClient): () => void {
  const stream = socketOf(client);
  const { cork, uncork } = stream;
  if (!cork || !uncork) return () => undefined;
  const original = client.query;
  let corked = false;
  client.query = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      cork.call(stream);
      setImmediate(() => {
        corked = false;
        uncork.call(stream);
      });
    }
    return (original as (...rest: unknown[]) => unknown).apply(client, args);
  }) as PoolClient['query'];
  return () => {
    client.query = original;
  };
}

/** Whether `send` issued a query on the client before returning. */
function issuesQuery(client: PoolClient, send: () => unknown): boolean {
  const original = client.query;
  let sent = false;
  client.query = ((...args: unknown[]) => {
    sent = true;
    return (original as (...rest: unknown[]) => unknown).apply(client, args);
  }) as PoolClient['query'];
  try {
    send();
  } finally {
    client.query = original;
  }
  return sent;
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
