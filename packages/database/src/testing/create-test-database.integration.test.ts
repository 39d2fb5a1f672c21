import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, DEFAULT_TEST_ADMIN_URL } from '.';

const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_ADMIN_URL;

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates a migrated sy_test_ database and drops it, even with a session still open', async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const straggler = new Client({ connectionString: database.url });
    await straggler.connect();
    straggler.on('error', () => undefined);

    expect(name).toMatch(/^sy_test_[0-9a-f]+$/);
    expect(await databaseExists(name)).toBe(true);
    const tables = await database.pool.query(`select to_regclass('public.users') as users`);
    expect(tables.rows[0]).toEqual({ users: 'users' });

    await database.drop();

    expect(await databaseExists(name)).toBe(false);
    await straggler.end().catch(() => undefined);
  });
});
