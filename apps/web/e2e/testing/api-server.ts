import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR } from './next-app';

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve('tsx/cli');
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const SERVER_ENTRY = path.join(REPO_ROOT, 'apps/api/src/server.ts');
const LOG_DIR = path.join(RESULTS_DIR, 'logs');

export type ApiServer = { url: string; stop: () => Promise<void> };

/**
 * Runs the real api (`tsx apps/api/src/server.ts`) with `settings` in its environment, in its own
 * process group, and waits until `/healthz` answers. Output goes to `test-results/logs/<logName>`.
 */
export async function startApiServer(
  settings: Record<string, string> & { API_PORT: string },
  options: { logName?: string } = {},
): Promise<ApiServer> {
  await mkdir(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, options.logName ?? 'api.log'));
  const url = `http://127.0.0.1:${settings.API_PORT}`;
  const child = spawn(process.execPath, [TSX_CLI, SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, API_HOST: '127.0.0.1', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      hasExited = true;
      resolve();
    }),
  );

  const stop = async () => {
    const { pid } = child;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    signalGroup(pid, 'SIGKILL');
    await new Promise((resolve) => log.end(resolve));
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited) {
      await stop();
      throw new Error(`the api exited before serving; see ${path.join(LOG_DIR, 'api.log')}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { url, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the api did not serve ${url}/healthz within 60 s`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The whole group has already exited.
  }
}
