import type { FastifyRequest } from 'fastify';
import {
  authenticateApiKey,
  getActiveSession,
  safeEqual,
  verifyAccessToken,
  type AuthDeps,
} from '@switchyard/auth';
import { AppError } from '@switchyard/shared';
import { ANONYMOUS, type RequestAuth, type UserAuth } from './auth-context';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER } from './session-cookies';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER_PATTERN = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;
const API_KEY_PREFIX = 'sy_';

function unauthenticated(message: string, bearer: boolean): AppError {
  return new AppError('UNAUTHENTICATED', {
    message,
    // RFC 6750: tell bearer clients their token is the problem (so they refresh).
    headers: bearer
      ? { 'www-authenticate': 'Bearer error="invalid_token"' }
      : { 'www-authenticate': 'Bearer' },
  });
}

export function forbidden(message: string, reason: string): AppError {
  return new AppError('FORBIDDEN', { message, details: { reason } });
}

export function notFound(): AppError {
  return new AppError('NOT_FOUND', { message: 'No such resource.' });
}

function readHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Refuses an unsafe request from a browser page of a foreign origin. Browsers send `Origin` on
 * every cross-origin request and on same-origin non-GET requests; clients without one (curl,
 * servers) are not browsers and cannot be tricked into sending a user's cookies.
 */
export function assertOriginAllowed(request: FastifyRequest, required: boolean): void {
  const origin = readHeader(request, 'origin');
  if (origin === undefined ? required : !request.server.trustedOrigins.has(origin)) {
    throw forbidden('This request must come from the Switchyard web app.', 'origin_not_allowed');
  }
}

/**
 * CSRF protection for requests authenticated by cookie: the `x-csrf-token` header must equal
 * the `__Host-sy_csrf` cookie (double submit) and `Origin` must be trusted. Routes that accept a
 * cookie themselves (refresh, logout) call it before using the cookie.
 */
export function assertCsrf(request: FastifyRequest): void {
  assertOriginAllowed(request, true);
  const header = readHeader(request, CSRF_HEADER);
  const cookie = request.cookies[CSRF_COOKIE];
  if (!header || !cookie || !safeEqual(header, cookie)) {
    throw forbidden('The CSRF token is missing or does not match.', 'csrf_token_invalid');
  }
}

async function authenticateUserToken(
  token: string,
  via: UserAuth['via'],
  deps: AuthDeps,
): Promise<UserAuth> {
  const bearer = via === 'bearer';
  const verified = await verifyAccessToken(token, deps).catch(() => {
    throw unauthenticated('The access token is invalid or has expired.', bearer);
  });
  const session = await getActiveSession(verified.sessionId, deps);
  if (!session || session.userId !== verified.userId) {
    throw unauthenticated('The session has ended. Sign in again.', bearer);
  }
  return { kind: 'user', userId: session.userId, sessionId: session.id, session, via };
}

/** Resolves the caller from `Authorization: Bearer` (JWT or API key) or the access cookie. */
export async function authenticateRequest(
  request: FastifyRequest,
  deps: AuthDeps,
): Promise<RequestAuth> {
  const authorization = readHeader(request, 'authorization');
  if (authorization !== undefined) {
    const token = BEARER_PATTERN.exec(authorization)?.[1];
    if (!token) throw unauthenticated('Use `Authorization: Bearer <token>`.', true);
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await authenticateApiKey(token, deps);
      if (!key) throw unauthenticated('The API key is invalid, revoked or expired.', true);
      return { kind: 'api_key', apiKeyId: key.apiKeyId, orgId: key.orgId, scopes: key.scopes };
    }
    return authenticateUserToken(token, 'bearer', deps);
  }
  const cookie = request.cookies[ACCESS_COOKIE];
  if (cookie) {
    if (!SAFE_METHODS.has(request.method)) assertCsrf(request);
    return authenticateUserToken(cookie, 'cookie', deps);
  }
  return ANONYMOUS;
}

/** The signed-in user, or 403 for an API key / 401 for nobody. */
export function requireUser(auth: RequestAuth): UserAuth {
  if (auth.kind === 'user') return auth;
  if (auth.kind === 'api_key') {
    throw forbidden('API keys cannot use this endpoint; sign in as a user.', 'api_key_not_allowed');
  }
  throw unauthenticated('Sign in to use this endpoint.', false);
}
