/**
 * `npm run migrate`: creates the database named by DATABASE_URL if it is missing and applies the
 * pending SQL migrations from packages/database/migrations. Safe to run while apps are starting
 * or from several places at once (see runMigrations).
 */
import { createDatabaseIfMissing, getPgErrorCode, runMigrations } from '@switchyard/database';
import {
  DEFAULT_DATABASE_URL,
  createLogger,
  exitWithSettingError,
  redactUrl,
  settings,
} from '@switchyard/shared';

const APP = 'migrate';

const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const logLevel = settings.logLevel().safeParse(process.env.LOG_LEVEL || undefined);
const log = createLogger({
  name: APP,
  level: logLevel.success ? logLevel.data : 'info',
  pretty: process.stdout.isTTY,
});

if (!settings.postgresUrl().safeParse(databaseUrl).success) {
  exitWithSettingError(
    APP,
    'DATABASE_URL',
    'must be a URL like postgres://user:password@host:5432/database',
  );
}

let connected = false;
try {
  const created = await createDatabaseIfMissing(databaseUrl);
  connected = true;
  if (created) log.info({ database: redactUrl(databaseUrl) }, 'created database');
  const { applied } = await runMigrations({ url: databaseUrl, log });
  log.info(
    { database: redactUrl(databaseUrl), applied },
    applied.length === 0 ? 'database is up to date' : `applied ${applied.length} migration(s)`,
  );
} catch (error) {
  const where = redactUrl(databaseUrl);
  const problem =
    describeConnectionProblem(error, where) ??
    // Failing before any query ran means the server behind the URL is the problem.
    (connected ? undefined : `cannot use ${where} (${firstLine(error)}). Check DATABASE_URL.`);
  if (problem) exitWithSettingError(APP, 'DATABASE_URL', problem);
  // Reached the server, but a migration failed: the full error is what the operator needs.
  log.fatal({ err: error }, 'migration failed');
  process.exitCode = 1;
}

/** One sentence saying why the server at `where` cannot be used and how to fix it, if that is the cause. */
function describeConnectionProblem(error: unknown, where: string): string | undefined {
  const detail = firstLine(error);
  switch (getPgErrorCode(error) ?? systemErrorCode(error)) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${where}. Start PostgreSQL (npm start runs an embedded one) or point DATABASE_URL at a running server.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} cannot be resolved. Fix the host name in DATABASE_URL.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} did not answer. Check the host, port and firewall, or fix DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `${where} refused the login (${detail}). Fix the user and password in DATABASE_URL.`;
    case '42501':
      return `the user in ${where} may not create the database (${detail}). Create it, grant CREATEDB, or use another DATABASE_URL.`;
    default:
      return undefined;
  }
}

function systemErrorCode(error: unknown): string | undefined {
  // Connecting to a host with several addresses fails with one error per address.
  if (error instanceof AggregateError) return systemErrorCode(error.errors[0]);
  if (!(error instanceof Error)) return undefined;
  if ('code' in error && typeof error.code === 'string') return error.code;
  // node-postgres reports its own connection timeout without a code.
  if (/connection timeout/i.test(error.message)) return 'ETIMEDOUT';
  return undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
