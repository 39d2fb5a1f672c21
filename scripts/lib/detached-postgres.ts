import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { ServiceMessage } from '../embedded-postgres-service';
import { REPO_ROOT } from './env';

const SERVICE = path.join(REPO_ROOT, 'scripts', 'embedded-postgres-service.ts');
/** First start initialises a cluster: generous. */
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Starts the embedded PostgreSQL in a detached process (see `embedded-postgres-service.ts`) and
 * resolves its URL once it accepts connections; `stop` shuts it down and waits for it.
 */
export async function startDetachedPostgres(options: {
  dataDir: string;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVICE, options.dataDir], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const first = await Promise.race([
    once(child, 'message').then(([message]) => message as ServiceMessage),
    exited.then(([code]) => ({
      type: 'error' as const,
      message: `the PostgreSQL process exited (code ${String(code)}) before it was ready`,
    })),
    new Promise<ServiceMessage>((resolve) =>
      setTimeout(
        () => resolve({ type: 'error', message: 'it did not start within 3 minutes' }),
        START_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
  if (first.type === 'error') {
    child.kill('SIGTERM');
    throw new Error(first.message);
  }
  return {
    url: first.url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
