import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  AppError,
  ERROR_TABLE,
  isAppError,
  PROBLEM_CONTENT_TYPE,
  toProblem,
  type ErrorCode,
  type FieldError,
} from '@switchyard/shared';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Fastify's own error codes and what each means to a client: the one place where framework
 * errors become `AppError`s. Messages are ours, so no framework wording reaches a client.
 */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: "This endpoint does not accept the request's Content-Type; send application/json.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is larger than this server accepts.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'BAD_REQUEST',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'BAD_REQUEST',
    message: 'The request body is empty but its content type is application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'BAD_REQUEST',
    message: 'The request body size does not match its Content-Length.',
  },
  FST_ERR_VALIDATION: { code: 'VALIDATION_FAILED', message: 'The request is not valid.' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', message: 'The request URL is malformed.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'BAD_REQUEST', message: 'A URL parameter is too long.' },
  FST_ERR_NOT_FOUND: { code: 'NOT_FOUND', message: 'No such resource.' },
};

/** For 4xx errors of plugins that carry only a status code. */
const CODE_BY_STATUS = new Map<number, ErrorCode>(
  Object.entries(ERROR_TABLE).map(([code, entry]) => [entry.status, code as ErrorCode]),
);
// Several codes share 400; a bare 400 is a plain bad request, not a validation failure.
CODE_BY_STATUS.set(400, 'BAD_REQUEST');

const VALIDATION_CONTEXT_LABELS: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** Methods a route can answer; OPTIONS is left out because CORS answers it on every path. */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Maps anything thrown inside a request to the `AppError` that will be sent. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (!isFastifyError(error)) return new AppError('INTERNAL', { cause: error });

  const known = error.code === undefined ? undefined : FASTIFY_ERRORS[error.code];
  if (error.validation !== undefined) {
    return new AppError('VALIDATION_FAILED', {
      message: 'The request is not valid; see `errors` for each failing field.',
      cause: error,
      details: { errors: toFieldErrors(error.validation, error.validationContext) },
    });
  }
  if (known) return new AppError(known.code, { message: known.message, cause: error });

  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return new AppError(CODE_BY_STATUS.get(status) ?? 'BAD_REQUEST', { cause: error });
  }
  return new AppError('INTERNAL', { cause: error });
}

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error && ('code' in error || 'statusCode' in error || 'validation' in error)
  );
}

function toFieldErrors(
  issues: FastifySchemaValidationError[],
  context: string | undefined,
): FieldError[] {
  const prefix = context === undefined ? [] : [VALIDATION_CONTEXT_LABELS[context] ?? context];
  return issues.map((issue) => {
    const segments = issue.instancePath.split('/').filter((segment) => segment.length > 0);
    // JSON-schema (Ajv) `required` errors point at the parent object; name the missing field.
    const missing = issue.params.missingProperty;
    if (typeof missing === 'string') segments.push(missing);
    return {
      path: [...prefix, ...segments].join('.'),
      message: issue.message ?? 'is invalid',
    };
  });
}

/** Sends `error` as problem+json, logging it by severity: causes of 500s are always logged. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL') {
    request.log.error({ err: error }, 'request failed');
  } else if (appError.status >= 500) {
    // Expected outages (for example /readyz while a dependency is down): no stack, but the cause.
    request.log.warn({ code: appError.code, err: appError.cause }, appError.message);
  } else {
    request.log.debug({ code: appError.code }, appError.message);
  }
  const path = request.url.split('?', 1)[0];
  reply
    .code(appError.status)
    .headers(appError.headers ?? {})
    .type(PROBLEM_CONTENT_TYPE)
    .send(toProblem(appError, path));
}

/**
 * Fastify's router errors (malformed URL, overlong parameter) happen before any route runs;
 * pass this as the `frameworkErrors` server option so they are problem+json too.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // No hook has run yet, so the request id is not on the reply.
  reply.header(REQUEST_ID_HEADER, request.id);
  sendProblem(request, reply, error);
}

/** Methods that some route answers for this URL (the request's own method did not match). */
function listAllowedMethods(app: FastifyInstance, url: string): string[] {
  return ROUTE_METHODS.filter((method) => app.findRoute({ method, url }) !== null);
}

/**
 * Every error response is RFC 9457 problem+json: thrown errors, validation failures, body
 * parser errors, unknown routes (404) and known paths with the wrong method (405 + `Allow`).
 */
export const problemDetailsPlugin = fp(
  (app: FastifyInstance, _options: Record<never, never>, done: (error?: Error) => void) => {
    app.setErrorHandler((error, request, reply) => {
      sendProblem(request, reply, error);
    });

    app.setNotFoundHandler((request, reply) => {
      const allowed = listAllowedMethods(app, request.url);
      if (allowed.length > 0) {
        sendProblem(
          request,
          reply,
          new AppError('METHOD_NOT_ALLOWED', {
            message: `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
            headers: { allow: allowed.join(', ') },
          }),
        );
        return;
      }
      sendProblem(request, reply, new AppError('NOT_FOUND', { message: 'No such resource.' }));
    });
    done();
  },
  { name: 'problem-details' },
);
