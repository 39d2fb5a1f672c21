import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const TSX_CLI = require.resolve('tsx/cli');
const WORKERS_DIR = fileURLToPath(new URL('../..', import.meta.url));

export type WorkersProcess = {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Resolves when stdout has a line matching `pattern`; rejects if the process exits first. */
  waitForOutput: (pattern: RegExp) => Promise<void>;
  /** Exit code (or the signal that ended the process). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Runs `tsx src/main.ts` like `npm run dev -w @switchyard/workers` without watch, with only the
 * given variables (plus PATH and HOME) so the developer's own settings cannot leak in.
 */
export function spawnWorkersProcess(env: Record<string, string>): WorkersProcess {
  const child = spawn(process.execPath, [TSX_CLI, 'src/main.ts'], {
    cwd: WORKERS_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters) {
      if (waiter.pattern.test(stdout)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));

  return {
    child,
    output: () => ({ stdout, stderr }),
    waitForOutput: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) {
          resolve();
          return;
        }
        waiters.add({ pattern, resolve });
        void exited.then(() =>
          reject(new Error(`workers exited before printing ${pattern}:\n${stdout}\n${stderr}`)),
        );
      }),
    exited,
  };
}
