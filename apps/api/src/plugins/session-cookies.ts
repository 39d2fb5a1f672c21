import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { generateSecretToken, type SessionTokens } from '@switchyard/auth';
import type {} from './auth-context';

/** The access token, for browsers: sent on same-site navigations too (SameSite=Lax). */
export const ACCESS_COOKIE = '__Host-sy_access';
/** The refresh token: only ever sent to our own origin (SameSite=Strict). */
export const REFRESH_COOKIE = '__Host-sy_refresh';
/**
 * The double-submit CSRF token: readable by the web app's JavaScript, which echoes it in the
 * `x-csrf-token` header of every mutation; a cross-site page can neither read nor set it.
 */
export const CSRF_COOKIE = '__Host-sy_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * `token`: tokens in the response body, for API clients (`Authorization: Bearer`).
 * `cookie`: tokens in `__Host-` cookies, for the web app; the body carries no token.
 */
export const sessionModeSchema = z
  .enum(['token', 'cookie'])
  .default('token')
  .describe('`token` returns the tokens in the body; `cookie` sets HttpOnly cookies instead.');
export type SessionMode = z.infer<typeof sessionModeSchema>;

/** The body of a token-mode response (OAuth 2.0 token response fields, camel-cased). */
export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * The response of an endpoint finished by `respondWithSession`: `expiresIn` always, the tokens
 * only in token mode. Extend it with the endpoint's own fields (`.extend({ user })`).
 */
export const sessionResponseSchema = z.object({
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
  accessToken: z.string().optional().describe('Token mode only.'),
  refreshToken: z.string().optional().describe('Token mode only; works once.'),
  tokenType: z.literal('Bearer').optional().describe('Token mode only.'),
});

/** Whole seconds until `date`, rounded up: expiries fall on second boundaries. */
function secondsUntil(date: Date, now = Date.now()): number {
  return Math.max(0, Math.ceil((date.getTime() - now) / 1000));
}

/**
 * Sets the three session cookies. `__Host-` cookies must be Secure, Path=/ and have no Domain,
 * so no subdomain can set or overwrite them.
 */
export function setSessionCookies(reply: FastifyReply, tokens: SessionTokens): void {
  const base = { path: '/', secure: reply.server.authDeps.config.cookieSecure } as const;
  reply.setCookie(ACCESS_COOKIE, tokens.accessToken, {
    ...base,
    httpOnly: true,
    sameSite: 'lax',
    maxAge: secondsUntil(tokens.accessTokenExpiresAt),
  });
  reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...base,
    httpOnly: true,
    sameSite: 'strict',
    maxAge: secondsUntil(tokens.refreshTokenExpiresAt),
  });
  reply.setCookie(CSRF_COOKIE, generateSecretToken(), {
    ...base,
    httpOnly: false,
    sameSite: 'strict',
    maxAge: secondsUntil(tokens.refreshTokenExpiresAt),
  });
}

/** Expires the three session cookies (logout, failed refresh). */
export function clearSessionCookies(reply: FastifyReply): void {
  const secure = reply.server.authDeps.config.cookieSecure;
  for (const [name, sameSite, httpOnly] of [
    [ACCESS_COOKIE, 'lax', true],
    [REFRESH_COOKIE, 'strict', true],
    [CSRF_COOKIE, 'strict', false],
  ] as const) {
    reply.clearCookie(name, { path: '/', secure, sameSite, httpOnly });
  }
}

/**
 * Finishes every endpoint that starts or renews a session. Token mode answers `body` plus the
 * tokens; cookie mode sets the cookies and answers `body` with `expiresIn` only, so no token is
 * ever readable by the web app's JavaScript.
 */
export function respondWithSession<T extends Record<string, unknown>>(
  reply: FastifyReply,
  result: SessionTokens,
  mode: SessionMode,
  body: T,
): T & { expiresIn: number } & Partial<TokenResponse> {
  const expiresIn = secondsUntil(result.accessTokenExpiresAt);
  if (mode === 'cookie') {
    setSessionCookies(reply, result);
    return { ...body, expiresIn };
  }
  return {
    ...body,
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresIn,
    tokenType: 'Bearer',
  };
}
