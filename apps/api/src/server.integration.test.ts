import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { LOCAL_REDIS_URL, UNREACHABLE_DATABASE_URL } from './testing/test-app';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));

type LogLine = Record<string, unknown> & { msg?: string };

type ServerProcess = {
  child: ChildProcess;
  /** Every JSON log line printed so far. */
  lines: LogLine[];
  /** Resolves with the first log line matching `predicate`; rejects if the process exits first. */
  waitForLine: (predicate: (line: LogLine) => boolean) => Promise<LogLine>;
  /** Exit code and everything written to stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
};

const running: ChildProcess[] = [];

/** Runs `tsx src/server.ts` (as `node --import tsx`, so signals reach the server itself). */
function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: API_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      REDIS_URL: LOCAL_REDIS_URL,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);

  const lines: LogLine[] = [];
  const waiters: Array<{
    predicate: (line: LogLine) => boolean;
    resolve: (line: LogLine) => void;
  }> = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.predicate(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });

  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  // 'close', not 'exit': it comes after stdout and stderr are drained, so no line is missed.
  const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, stderr }));

  const waitForLine = (predicate: (line: LogLine) => boolean) => {
    const seen = lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<LogLine>((resolve) => waiters.push({ predicate, resolve })),
      exited.then(({ code, stderr: output }) => {
        throw new Error(`server exited with ${code} before the expected log line: ${output}`);
      }),
    ]);
  };
  return { child, lines, waitForLine, exited };
}

async function listenerUrl(server: ServerProcess): Promise<string> {
  const line = await server.waitForLine((l) => l.msg?.startsWith('api listening') ?? false);
  return String(line.url);
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

describe('api server process', () => {
  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const server = startServer({ DATABASE_URL: database.url, API_TEST_SLOW_ROUTE: '1' });
    const url = await listenerUrl(server);

    const pending = fetch(`${url}/__test/slow`);
    await server.waitForLine((line) => line.msg === 'slow request started');
    server.child.kill('SIGTERM');
    const response = await pending;

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect((await server.exited).code).toBe(0);
    const messages = server.lines.map((line) =>
      line.msg === 'request completed' ? `completed ${String(line.path)}` : line.msg,
    );
    // The request was still in flight when shutdown began, and finished before the process stopped.
    expect(messages.indexOf('shutting down: finishing in-flight requests')).toBeLessThan(
      messages.indexOf('completed /__test/slow'),
    );
    expect(messages.indexOf('completed /__test/slow'), messages.join(' | ')).toBeLessThan(
      messages.indexOf('stopped'),
    );
  });

  it('exits 1 with one line naming DATABASE_URL when PostgreSQL is unreachable', async () => {
    const server = startServer({ DATABASE_URL: UNREACHABLE_DATABASE_URL });

    const { code, stderr } = await server.exited;

    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^api: DATABASE_URL: cannot connect to PostgreSQL/);
    expect(lines[0]).toContain('unset DATABASE_URL');
  });

  it('exits 1 naming DATABASE_URL, without a stack trace, when it is malformed', async () => {
    const server = startServer({ DATABASE_URL: 'not a url' });

    const { code, stderr } = await server.exited;

    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL: must be a URL like postgres://');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 naming API_PORT when the port is in use', async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const server = startServer({ DATABASE_URL: database.url, API_PORT: String(port) });

      const { code, stderr } = await server.exited;

      expect(code).toBe(1);
      expect(stderr.trimEnd()).toBe(
        `api: API_PORT: port ${port} is in use; set API_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });
});
