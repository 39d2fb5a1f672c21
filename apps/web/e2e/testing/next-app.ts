import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve('next/dist/bin/next');
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_DIR = path.join(WEB_DIR, 'test-results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs');

export type NextApp = { url: string; stop: () => Promise<void> };

/**
 * The app's origin as the tests' PUBLIC_URL names it (`localhost`, not `127.0.0.1`), so that
 * cookies, CSRF Origin checks and e-mailed links agree.
 */
export function publicOrigin(app: NextApp): string {
  return app.url.replace('127.0.0.1', 'localhost');
}

/** The environment a child Next process gets: this one's plus the app settings under test. */
function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  // Vitest sets NODE_ENV=test, which Next refuses to build or serve a production app with.
  return { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...settings };
}

export async function getFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/**
 * Runs `next build` with `settings` in the environment. The `/api` rewrite destination is fixed
 * at build time, so a build is made for the fake api's address; `WEB_DIST_DIR` keeps it apart
 * from the real build in `.next`.
 */
export async function buildNextApp(
  settings: Record<string, string>,
  options: { logName?: string } = {},
): Promise<void> {
  await mkdir(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, options.logName ?? 'next-build.log');
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: WEB_DIR,
    env: childEnv(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  await new Promise((resolve) => log.end(resolve));
  if (code !== 0) throw new Error(`next build exited with ${code}; see ${logPath}`);
}

/**
 * Starts `next start` on a loopback port (`options.port`, else a free one) and waits until it
 * serves `/`.
 */
export async function startNextApp(
  settings: Record<string, string>,
  options: { port?: number; logName?: string } = {},
): Promise<NextApp> {
  await mkdir(LOG_DIR, { recursive: true });
  const port = options.port ?? (await getFreePort());
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(path.join(LOG_DIR, options.logName ?? 'next-start.log'));
  // Its own process group, so stopping it also stops the next-server child it forks.
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    { cwd: WEB_DIR, env: childEnv(settings), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    const { pid } = child;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    // Whatever of the group outlived its leader.
    signalGroup(pid, 'SIGKILL');
    await new Promise((resolve) => log.end(resolve));
  };

  try {
    await waitUntilServing(url, exited);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The whole group has already exited.
  }
}

async function waitUntilServing(url: string, exited: Promise<void>): Promise<void> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('next start exited before serving; see test-results/logs');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not serve ${url} within 60 s`);
}
