import type { FastifyInstance } from 'fastify';

/** What a benchmark child process serves: a listening-ready app and the request to load it with. */
export type BenchTarget = {
  app: FastifyInstance;
  /** Path (and query) the load generator requests. */
  path: string;
  /** Headers sent with every request, such as `authorization`. */
  headers?: Record<string, string>;
  /** Runs after `app.close()` when the parent stops the child (drop caches, test data). */
  cleanup?: () => Promise<void>;
};

/** The first IPC message of a child: where to send load. */
export type ServingMessage = { port: number; path: string; headers: Record<string, string> };

/** The reply to the parent's `stop` message: CPU time spent since its `start` message. */
export type CpuMessage = { cpuMicros: number };

/**
 * Child-process side of a benchmark: listens on a random port, reports it to the parent, and
 * reports the CPU time spent between the parent's `start` and `stop` messages. Each server runs
 * in its own process so it never shares an event loop with the load generator.
 */
export async function serveBenchTarget(target: BenchTarget): Promise<void> {
  const { app } = target;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const serving: ServingMessage = {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    path: target.path,
    headers: target.headers ?? {},
  };
  process.send?.(serving);
  let started = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'start') started = process.cpuUsage();
    if (message === 'stop') {
      const used = process.cpuUsage(started);
      process.send?.({ cpuMicros: used.user + used.system } satisfies CpuMessage);
    }
  });
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => target.cleanup?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`benchmark server failed to shut down: ${String(error)}\n`);
          process.exit(1);
        },
      );
  });
}
