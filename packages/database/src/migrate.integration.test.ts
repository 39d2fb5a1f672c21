import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getMigrationStatus, runMigrations } from './migrate';
import { resolveMigrationsDir } from './migration-files';
import { createTestDatabase, type TestDatabase } from './testing';

const migrationFiles = readdirSync(resolveMigrationsDir())
  .filter((name) => name.endsWith('.sql'))
  .sort();
const tmp = mkdtempSync(join(tmpdir(), 'sy-migrate-'));
const databases: TestDatabase[] = [];

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  databases.push(database);
  return database;
}

async function appliedNames(database: TestDatabase): Promise<string[]> {
  const result = await database.pool.query<{ name: string }>(
    'select name from __migrations order by name',
  );
  return result.rows.map((row) => row.name);
}

/** A copy of the real migrations plus `extra` files, in a folder of its own. */
function migrationsWith(folder: string, extra: Record<string, string>): string {
  const dir = join(tmp, folder);
  cpSync(resolveMigrationsDir(), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(dir, name), sql);
  return dir;
}

afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runMigrations', () => {
  it('applies every migration the first time and nothing the second time', async () => {
    const database = await emptyDatabase();

    const first = await runMigrations({ url: database.url });
    const second = await runMigrations({ url: database.url });

    expect(first.applied).toEqual(migrationFiles);
    expect(second.applied).toEqual([]);
    expect(await appliedNames(database)).toEqual(migrationFiles);
  });

  it('applies the schema once when two migrators on separate connections race', async () => {
    const database = await emptyDatabase();

    const results = await Promise.all([
      runMigrations({ url: database.url }),
      runMigrations({ url: database.url }),
    ]);

    expect(results.flatMap((result) => result.applied).sort()).toEqual(migrationFiles);
    expect(await appliedNames(database)).toEqual(migrationFiles);
    const tables = await database.pool.query(
      `select count(*)::int as count from pg_tables where schemaname = 'public' and tablename = 'users'`,
    );
    expect(tables.rows[0]).toEqual({ count: 1 });
  });

  it('rolls back a failing migration, records nothing for it and names it in the error', async () => {
    const database = await emptyDatabase();
    const migrationsDir = migrationsWith('failing', {
      '9000_broken.sql': 'create table half_done (id int);\nselect 1 / 0;\n',
    });

    await expect(runMigrations({ url: database.url, migrationsDir })).rejects.toThrow(
      /9000_broken\.sql failed: division by zero/,
    );

    expect(await appliedNames(database)).toEqual(migrationFiles);
    const table = await database.pool.query(`select to_regclass('public.half_done') as name`);
    expect(table.rows[0]).toEqual({ name: null });
  });

  it('refuses to continue when an applied migration was edited afterwards', async () => {
    const database = await emptyDatabase();
    const original = migrationsWith('original', {
      '9000_extra.sql': 'create table extra (id int);',
    });
    const edited = migrationsWith('edited', {
      '9000_extra.sql': 'create table extra (id bigint);',
    });
    await runMigrations({ url: database.url, migrationsDir: original });

    await expect(runMigrations({ url: database.url, migrationsDir: edited })).rejects.toThrow(
      /9000_extra\.sql was changed after it was applied/,
    );
  });
});

describe('getMigrationStatus', () => {
  it('reports every file pending before migrating and none after', async () => {
    const database = await emptyDatabase();
    expect(await getMigrationStatus(database.pool)).toEqual({
      applied: 0,
      pending: migrationFiles,
    });

    await runMigrations({ url: database.url });

    expect(await getMigrationStatus(database.pool)).toEqual({
      applied: migrationFiles.length,
      pending: [],
    });
  });
});
