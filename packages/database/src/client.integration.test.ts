import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, pingDatabase } from './client';
import { createTestDatabase, type TestDatabase } from './testing';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database.drop();
});

describe('pingDatabase', () => {
  it('answers true for a reachable database, given the db or the pool', async () => {
    expect(await pingDatabase(database.db, 2_000)).toBe(true);
    expect(await pingDatabase(database.pool, 2_000)).toBe(true);
  });

  it('answers false without throwing when the server is unreachable', async () => {
    const unreachable = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      expect(await pingDatabase(unreachable.db, 2_000)).toBe(false);
    } finally {
      await unreachable.close();
    }
  });

  it('answers false without throwing after the pool was closed', async () => {
    const handle = createDatabase({ url: database.url });
    await handle.close();
    await handle.close();
    expect(await pingDatabase(handle.pool, 2_000)).toBe(false);
  });
});

describe('createDatabase', () => {
  it('survives the server killing an idle connection and reconnects', async () => {
    const log = { warn: vi.fn() };
    const handle = createDatabase({ url: database.url, applicationName: 'sy-idle-victim', log });
    try {
      await handle.pool.query('select 1');
      expect(handle.pool.idleCount).toBe(1);

      await database.pool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'sy-idle-victim'`,
      );

      await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(1));
      // The reason only: pg-pool hangs the client, with its connection settings, on the error.
      const [fields] = log.warn.mock.calls[0] as [{ err: Record<string, unknown> }];
      expect(fields.err).toEqual({
        type: 'error',
        message: 'terminating connection due to administrator command',
        code: '57P01',
      });
      expect(await pingDatabase(handle.db, 2_000)).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('sets the statement timeout and application name on its connections', async () => {
    const handle = createDatabase({
      url: database.url,
      applicationName: 'sy-settings-check',
      statementTimeoutMs: 1_234,
    });
    try {
      const result = await handle.pool.query<{ timeout: string; name: string }>(
        `select current_setting('statement_timeout') as timeout, current_setting('application_name') as name`,
      );
      expect(result.rows[0]).toEqual({ timeout: '1234ms', name: 'sy-settings-check' });
    } finally {
      await handle.close();
    }
  });
});
