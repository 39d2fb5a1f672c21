import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, escapeIdentifier } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMigrationsDir } from './migration-files';
import { DEFAULT_TEST_ADMIN_URL } from './testing';

// Runs the real `npm run migrate` entry point (scripts/migrate.ts at the repo root).
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_ADMIN_URL;
const migrationFiles = readdirSync(resolveMigrationsDir())
  .filter((name) => name.endsWith('.sql'))
  .sort();
const created: string[] = [];

type Outcome = { code: number | null; stdout: string; stderr: string };

function runMigrateScript(databaseUrl: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['scripts/migrate.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** URL of a database that does not exist yet; dropped after the test. */
function freshDatabaseUrl(): { url: string } {
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}

function appliedByRun(outcome: Outcome): string[] {
  const lines = outcome.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { applied?: string[] });
  return lines.flatMap((line) => line.applied ?? []);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  const names = created.splice(0);
  await withClient(adminUrl, async (client) => {
    for (const name of names) {
      await client.query(`drop database if exists ${escapeIdentifier(name)} with (force)`);
    }
  });
});

describe('scripts/migrate.ts', () => {
  it('creates and migrates the database once when two processes run it at the same time', async () => {
    const { url } = freshDatabaseUrl();

    const outcomes = await Promise.all([runMigrateScript(url), runMigrateScript(url)]);

    expect(outcomes.map((outcome) => [outcome.code, outcome.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect(outcomes.flatMap(appliedByRun).sort()).toEqual(migrationFiles);
    const recorded = await withClient(url, (client) =>
      client.query<{ name: string }>('select name from __migrations order by name'),
    );
    expect(recorded.rows.map((row) => row.name)).toEqual(migrationFiles);
  });

  it('applies nothing when run again', async () => {
    const { url } = freshDatabaseUrl();
    await runMigrateScript(url);

    const again = await runMigrateScript(url);

    expect(again.code).toBe(0);
    expect(again.stdout).toContain('database is up to date');
    expect(appliedByRun(again)).toEqual([]);
  });

  it('prints one line naming DATABASE_URL and exits 1 when the server is unreachable', async () => {
    const outcome = await runMigrateScript('postgres://postgres@127.0.0.1:1/sy_unreachable');

    expect(outcome.code).toBe(1);
    const lines = outcome.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^migrate: DATABASE_URL: nothing is listening at .*127\.0\.0\.1:1/);
  });

  it('prints one line and exits 1 when DATABASE_URL is not a postgres URL', async () => {
    const outcome = await runMigrateScript('mysql://localhost/app');

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      'migrate: DATABASE_URL: must be a URL like postgres://user:password@host:5432/database\n',
    );
  });
});
