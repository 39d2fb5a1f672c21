import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's response headers for `options` (CSP, HSTS, nosniff, frame options, ...), computed once.
 * @fastify/helmet rebuilds helmet's middleware on every request, which cost more CPU than the
 * rest of a /healthz request (see bench/http.ts). Without per-request CSP nonces the headers
 * never vary, so helmet runs once here against a recording response and the result is reused.
 */
export function computeSecurityHeaders(options: HelmetOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      finished = true;
    },
  );
  if (!finished) throw new Error('helmet did not finish synchronously; per-request options?');
  return headers;
}

export type SecurityHeadersOptions = { helmet?: HelmetOptions };

/** Sets helmet's security headers on every response, 404s and errors included. */
export const securityHeadersPlugin = fp(
  (app: FastifyInstance, options: SecurityHeadersOptions, done: (error?: Error) => void) => {
    const headers = computeSecurityHeaders(options.helmet);
    app.addHook('onRequest', (_request, reply, next) => {
      reply.headers(headers);
      next();
    });
    done();
  },
  { name: 'security-headers' },
);
