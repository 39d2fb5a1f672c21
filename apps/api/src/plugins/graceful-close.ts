import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Lets `app.close()` finish while clients hold keep-alive connections. Fastify closes idle
 * connections when shutdown begins, but a connection busy with an in-flight request would stay
 * open after its response and hold the server open until the shutdown deadline. So once shutdown
 * has begun, every response says `Connection: close` and its connection ends with it.
 */
export const gracefulClosePlugin = fp(
  (app: FastifyInstance, _options: Record<never, never>, done: (error?: Error) => void) => {
    let closing = false;
    app.addHook('preClose', (next) => {
      closing = true;
      next();
    });
    app.addHook('onSend', (request, reply, payload, next) => {
      if (closing && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
      next(null, payload);
    });
    done();
  },
  { name: 'graceful-close' },
);
