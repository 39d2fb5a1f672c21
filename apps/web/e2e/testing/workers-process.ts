import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR } from './next-app';

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve('tsx/cli');
// Apps never import each other: the workers run as their own process, from source.
const WORKERS_DIR = fileURLToPath(new URL('../../../workers', import.meta.url));
const LOG_DIR = path.join(RESULTS_DIR, 'logs');

export type WorkersProcess = { stop: () => Promise<void> };

/**
 * Runs the real workers (`tsx src/main.ts` in apps/workers) with `settings`, in their own
 * process group, and waits until their `/readyz` answers. Output goes to
 * `test-results/logs/<logName>`.
 */
export async function startWorkersProcess(
  settings: Record<string, string> & { WORKERS_HEALTH_PORT: string },
  options: { logName?: string } = {},
): Promise<WorkersProcess> {
  await mkdir(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, options.logName ?? 'workers.log');
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, [TSX_CLI, 'src/main.ts'], {
    cwd: WORKERS_DIR,
    env: { ...process.env, WORKERS_HEALTH_HOST: '127.0.0.1', ...settings },
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
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    signalGroup(pid, 'SIGKILL');
    await new Promise((resolve) => log.end(resolve));
  };

  const url = `http://127.0.0.1:${settings.WORKERS_HEALTH_PORT}/readyz`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited) {
      await stop();
      throw new Error(`the workers exited before serving; see ${logPath}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the workers did not serve ${url} within 60 s`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The whole group has already exited.
  }
}
