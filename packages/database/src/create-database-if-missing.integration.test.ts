import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabaseIfMissing } from './create-database-if-missing';
import { DEFAULT_TEST_ADMIN_URL } from './testing';

const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_ADMIN_URL;
const created: string[] = [];

function urlFor(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  const names = created.splice(0);
  await admin(async (client) => {
    for (const name of names) {
      await client.query(`drop database if exists ${escapeIdentifier(name)} with (force)`);
    }
  });
});

describe('createDatabaseIfMissing', () => {
  it('creates a missing database, quoting a name that needs it, and leaves it alone next time', async () => {
    const name = `sy_test_${randomBytes(4).toString('hex')} "Quoted"-name`;
    created.push(name);

    expect(await createDatabaseIfMissing(urlFor(name))).toBe(true);
    expect(await createDatabaseIfMissing(urlFor(name))).toBe(false);

    const found = await admin((client) =>
      client.query('select datname from pg_database where datname = $1', [name]),
    );
    expect(found.rows).toEqual([{ datname: name }]);
  });

  it('creates the database exactly once when called concurrently', async () => {
    const name = `sy_test_${randomBytes(6).toString('hex')}`;
    created.push(name);

    const results = await Promise.all([1, 2, 3].map(() => createDatabaseIfMissing(urlFor(name))));

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('rejects a URL that names no database', async () => {
    const url = new URL(adminUrl);
    url.pathname = '/';
    await expect(createDatabaseIfMissing(url.toString())).rejects.toThrow(/names no database/);
  });
});
