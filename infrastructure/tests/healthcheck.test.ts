import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../testing/free-port';
import { repoPath } from '../testing/repo';

const SCRIPT = repoPath('infrastructure/docker/healthcheck.mjs');

/** Runs the image healthcheck as Docker does and resolves with its exit code and stderr. */
function runHealthcheck(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('infrastructure/docker/healthcheck.mjs', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = Number(req.url?.slice(1));
      res.writeHead(Number.isInteger(status) && status >= 200 ? status : 404, {
        location: '/elsewhere',
      });
      res.end('body');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([200, 204, 302])('reports healthy (exit 0) when the app answers %i', async (status) => {
    expect((await runHealthcheck(`${base}/${status}`)).code).toBe(0);
  });

  it.each([404, 500, 503])('reports unhealthy (exit 1) when the app answers %i', async (status) => {
    const result = await runHealthcheck(`${base}/${status}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`answered ${status}`);
  });

  it('reports unhealthy when nothing listens on the port', async () => {
    const result = await runHealthcheck(`http://127.0.0.1:${await getFreePort()}/healthz`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  it('reports unhealthy, with its usage, when run without a URL', async () => {
    const result = await runHealthcheck();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('usage');
  });
});
