import type { FastifyRequest } from 'fastify';
import { safeEqual } from '@switchyard/auth';
import { AppError } from '@switchyard/shared';

const BEARER_PATTERN = /^Bearer (\S+)$/;

/**
 * The `metrics-token` policy: `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
 * Without a configured token the route is not registered at all (404).
 */
export function assertMetricsToken(request: FastifyRequest): void {
  const expected = request.server.metricsToken;
  const header = request.headers.authorization;
  const presented = typeof header === 'string' ? BEARER_PATTERN.exec(header)?.[1] : undefined;
  if (expected === null || presented === undefined || !safeEqual(presented, expected)) {
    throw new AppError('UNAUTHENTICATED', {
      message: 'Present the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.',
      headers: { 'www-authenticate': 'Bearer realm="metrics"' },
    });
  }
}
