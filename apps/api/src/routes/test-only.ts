import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** How long a slow request may wait for shutdown to begin before it answers anyway. */
const MAX_WAIT_MS = 10_000;
/** After shutdown begins, the request stays in flight this much longer. */
const DRAIN_DELAY_MS = 200;

/**
 * Registered only when NODE_ENV=test and API_TEST_SLOW_ROUTE=1 (env.ts refuses the flag in any
 * other environment). `GET /__test/slow` holds the request open until the server starts shutting
 * down and a little longer, so the shutdown test can prove in-flight requests are completed.
 */
export const testOnlyRoutes: FastifyPluginAsyncZod = async (app) => {
  let shutdownStarted: () => void = () => undefined;
  const shuttingDown = new Promise<void>((resolve) => {
    shutdownStarted = resolve;
  });
  app.addHook('preClose', (done) => {
    shutdownStarted();
    done();
  });

  app.get(
    '/__test/slow',
    {
      config: { policy: { kind: 'public' } },
      schema: {
        hide: true,
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async (request) => {
      request.log.info('slow request started');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        shuttingDown,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, MAX_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      await new Promise<void>((resolve) => setTimeout(resolve, DRAIN_DELAY_MS));
      return { status: 'ok' as const };
    },
  );
};
