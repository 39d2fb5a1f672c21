import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@switchyard/shared';
import { startEmbeddedPostgres } from './start-embedded-postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  const log = createLogger({ name: 'test', level: 'silent' });
  let dataDir = '';

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises a server, keeps its data across a restart, and reuses a running one', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sy-embedded-'));
    // The server may run as the `postgres` user (when tests run as root): let it in.
    await import('node:fs/promises').then((fs) => fs.chmod(dataDir, 0o777));
    const port = await freePort();

    const first = await startEmbeddedPostgres({ dataDir, log, port });
    expect(first.started).toBe(true);
    await query(first.url, 'create table kept (value text); insert into kept values ($$hello$$)');

    const reused = await startEmbeddedPostgres({ dataDir, log, port });
    expect(reused.started).toBe(false);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, log, port });
    expect(second.started).toBe(true);
    expect(await query(second.url, 'select value from kept')).toEqual([{ value: 'hello' }]);
    await second.stop();
  }, 120_000);
});
