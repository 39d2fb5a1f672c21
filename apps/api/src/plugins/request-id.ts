import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createId } from '@switchyard/shared';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller-supplied id may look like. Anything else (too long, spaces, control characters
 * that could forge log lines) is replaced with a fresh id.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Fastify's `genReqId`: honours the caller's `x-request-id` (from a proxy or another service) when
 * it is a sane token, so one id follows a request across services; otherwise a new UUID.
 */
export function genReqId(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  if (typeof header === 'string' && SANE_REQUEST_ID.test(header)) return header;
  return createId();
}

/** Echoes the request id on every response, errors and 404s included. */
export const requestIdPlugin = fp(
  (app: FastifyInstance, _options: Record<never, never>, done: (error?: Error) => void) => {
    app.addHook('onRequest', (request, reply, next) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      next();
    });
    done();
  },
  { name: 'request-id' },
);
