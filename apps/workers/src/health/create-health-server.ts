import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  AppError,
  PROBLEM_CONTENT_TYPE,
  safeEqual,
  toProblem,
  type Logger,
} from '@switchyard/shared';
import { runReadinessChecks, type ReadinessChecks } from './run-readiness-checks';

export type CreateHealthServerOptions = {
  /** Dependencies `/readyz` verifies; each name appears in the response. */
  checks: ReadinessChecks;
  /** Longest a single check may take before it counts as failing. */
  checkTimeoutMs?: number;
  log: Logger;
  /**
   * Serves `GET /metrics` (Prometheus text format) when given; with a `token`, only to
   * `Authorization: Bearer <token>`.
   */
  metrics?: { contentType: string; render: () => Promise<string>; token?: string };
};

const BEARER_PATTERN = /^Bearer (\S+)$/;

/**
 * Liveness and readiness endpoints for orchestrators: `GET /healthz` answers while the process
 * runs; `GET /readyz` answers 200 only when every check passes, else 503 problem+json naming the
 * failing checks; `GET /metrics` answers the Prometheus metrics when `metrics` is given (behind its
 * token, when it has one: 401 problem+json otherwise). Anything
 * else is a problem+json 404 (or 405 for another method).
 */
export function createHealthServer(options: CreateHealthServerOptions): Server {
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  return createServer((request, response) => {
    handle(request, response, options, checkTimeoutMs).catch((error: unknown) => {
      options.log.error({ err: error }, 'health request failed');
      sendProblem(response, new AppError('INTERNAL', { cause: error }), request);
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: CreateHealthServerOptions,
  checkTimeoutMs: number,
): Promise<void> {
  const { checks, metrics } = options;
  const path = new URL(request.url ?? '/', 'http://health.invalid').pathname;
  if (path !== '/healthz' && path !== '/readyz' && !(path === '/metrics' && metrics)) {
    sendProblem(response, new AppError('NOT_FOUND', { message: `No route for ${path}.` }), request);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendProblem(
      response,
      new AppError('METHOD_NOT_ALLOWED', {
        message: `${path} answers GET and HEAD only.`,
        headers: { allow: 'GET, HEAD' },
      }),
      request,
    );
    return;
  }
  if (path === '/healthz') {
    send(response, request, 200, 'application/json', { status: 'ok' });
    return;
  }
  if (path === '/metrics' && metrics) {
    if (metrics.token !== undefined && !presentsToken(request, metrics.token)) {
      const error = new AppError('UNAUTHENTICATED', {
        message: 'Present the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.',
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      });
      sendProblem(response, error, request);
      return;
    }
    const text = await metrics.render();
    response.writeHead(200, {
      'content-type': metrics.contentType,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : text);
    return;
  }
  const report = await runReadinessChecks(checks, checkTimeoutMs);
  if (report.ready) {
    send(response, request, 200, 'application/json', { status: 'ok', checks: report.checks });
    return;
  }
  const error = new AppError('SERVICE_UNAVAILABLE', {
    message: `Not ready: ${report.failing.join(', ')} failing.`,
    details: { failing: report.failing, checks: report.checks },
  });
  sendProblem(response, error, request);
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
function presentsToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  const presented = typeof header === 'string' ? BEARER_PATTERN.exec(header)?.[1] : undefined;
  return presented !== undefined && safeEqual(presented, token);
}

function sendProblem(response: ServerResponse, error: AppError, request: IncomingMessage): void {
  const path = new URL(request.url ?? '/', 'http://health.invalid').pathname;
  for (const [name, value] of Object.entries(error.headers ?? {})) response.setHeader(name, value);
  send(response, request, error.status, PROBLEM_CONTENT_TYPE, toProblem(error, path));
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  status: number,
  contentType: string,
  body: unknown,
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : payload);
}
