import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  runPipelinedStatements,
  runTransaction,
  type DatabaseHandle,
} from './client';
import { createOrganization, getOrganizationById } from './queries/organizations';
import { createTestDatabase, type TestDatabase } from './testing';

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  // The app's pool (pipeline mode), which `runTransaction` pipelines on.
  handle = createDatabase({ url: database.url, max: 2 });
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

const slug = () => `tx-${randomUUID().slice(0, 8)}`;

describe('runTransaction (pipelined)', () => {
  it('commits the work and the finishing statement together, and answers both', async () => {
    const { value, finished } = await runTransaction(
      handle.db,
      async (tx) => {
        // Two statements issued together share a write; both run, in order.
        const [first, second] = await Promise.all([
          createOrganization(tx, { name: 'First', slug: slug() }),
          createOrganization(tx, { name: 'Second', slug: slug() }),
        ]);
        return [first, second];
      },
      (tx, orgs) =>
        tx.execute(
          sql`select count(*)::int as n from organizations where id in ${orgs.map((org) => org.id)}`,
        ),
    );
    expect(finished?.rows[0]).toEqual({ n: 2 });
    for (const org of value) {
      expect(await getOrganizationById(handle.db, { orgId: org.id })).not.toBeNull();
    }
  });

  it('rolls everything back when the work throws after statements went out', async () => {
    const name = slug();
    await expect(
      runTransaction(handle.db, async (tx) => {
        const pending = createOrganization(tx, { name, slug: name });
        await pending;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await handle.db.execute(sql`select 1 from organizations where slug = ${name}`);
    expect(rows).toHaveLength(0);
  });

  it("throws the finishing statement's error and keeps nothing when it fails beside COMMIT", async () => {
    const name = slug();
    await expect(
      runTransaction(
        handle.db,
        (tx) => createOrganization(tx, { name, slug: name }),
        (tx) => tx.execute(sql`select 1 / 0`),
      ),
    ).rejects.toMatchObject({ cause: { code: '22012' } });
    const { rows } = await handle.db.execute(sql`select 1 from organizations where slug = ${name}`);
    expect(rows).toHaveLength(0);
    // The connection went back to the pool in a usable state.
    const again = await runTransaction(handle.db, (tx) =>
      createOrganization(tx, { name: 'After', slug: slug() }),
    );
    expect(again.value.name).toBe('After');
  });

  it('awaits a finishing step that sends its statement late, before committing', async () => {
    const name = slug();
    const { finished } = await runTransaction(
      handle.db,
      async () => name,
      async (tx, value) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return createOrganization(tx, { name: value, slug: value });
      },
    );
    expect(finished?.slug).toBe(name);
    const { rows } = await handle.db.execute(sql`select 1 from organizations where slug = ${name}`);
    expect(rows).toHaveLength(1);
  });
});

describe('runPipelinedStatements', () => {
  it("answers each statement's rows, and keeps nothing when one of them fails", async () => {
    const [first, second] = await runPipelinedStatements(handle.db, [
      { name: 'pipelined_one', text: 'select $1::int as n', values: [1] },
      { name: 'pipelined_two', text: 'select $1::int as n', values: [2] },
    ]);
    expect([first, second]).toEqual([[{ n: 1 }], [{ n: 2 }]]);

    const name = slug();
    await expect(
      runPipelinedStatements(handle.db, [
        {
          name: 'pipelined_insert_org',
          text: 'insert into organizations (name, slug) values ($1, $1)',
          values: [name],
        },
        { name: 'pipelined_fail', text: 'select 1 / $1::int', values: [0] },
      ]),
    ).rejects.toMatchObject({ code: '22012' });
    const { rows } = await handle.db.execute(sql`select 1 from organizations where slug = ${name}`);
    expect(rows).toHaveLength(0);
  });
});
