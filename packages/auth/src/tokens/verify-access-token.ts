import { jwtVerify, type JWTHeaderParameters } from 'jose';
import { AppError } from '@switchyard/shared';
import { getNow, type AuthConfig, type AuthDeps } from '../config';
import { ACCESS_TOKEN_TYPE } from './issue-access-token';
import { LruCache } from './lru-cache';
import { getVerificationKey, SIGNING_ALGORITHM } from './signing-key-store';

export type VerifiedAccessToken = { userId: string; sessionId: string; expiresAt: Date };

/** Longer than any token we issue; anything bigger is refused before parsing. */
const MAX_TOKEN_LENGTH = 4_096;
const MAX_CACHED_TOKENS = 10_000;

// Per config object: a token verified for one issuer/audience must not pass under another.
const verifiedTokens = new WeakMap<AuthConfig, LruCache<string, VerifiedAccessToken>>();

function getCache(config: AuthConfig): LruCache<string, VerifiedAccessToken> {
  let cache = verifiedTokens.get(config);
  if (!cache) {
    cache = new LruCache(MAX_CACHED_TOKENS);
    verifiedTokens.set(config, cache);
  }
  return cache;
}

function unauthenticated(cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'The access token is invalid or has expired.',
    cause,
  });
}

/**
 * Verifies an access token: ES256 only (so `none` and HMAC-with-the-public-key are refused),
 * a known unexpired `kid`, `typ`, `iss`, `aud`, `exp`, `nbf`. A verified token is remembered
 * until it expires, so repeated requests skip the signature check; whether its session is still
 * active is a separate, uncached-by-this check (`getActiveSession`).
 *
 * @throws AppError('UNAUTHENTICATED') for any token that does not verify.
 */
export async function verifyAccessToken(
  token: string,
  deps: Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>,
): Promise<VerifiedAccessToken> {
  const now = getNow(deps);
  const cache = getCache(deps.config);
  const cached = cache.get(token);
  if (cached) {
    if (cached.expiresAt > now) return cached;
    cache.delete(token);
    throw unauthenticated();
  }
  if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated();

  let payload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        if (typeof header.kid !== 'string') throw new Error('the token has no kid');
        const key = await getVerificationKey(header.kid, deps);
        if (!key) throw new Error('the token was signed by an unknown or expired key');
        return key;
      },
      {
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: deps.config.issuer,
        audience: deps.config.audience,
        currentDate: now,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'nbf', 'exp'],
      },
    ));
  } catch (error) {
    throw unauthenticated(error);
  }
  const { sub, sid, exp } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') {
    throw unauthenticated();
  }
  const verified: VerifiedAccessToken = {
    userId: sub,
    sessionId: sid,
    expiresAt: new Date(exp * 1000),
  };
  if (verified.expiresAt > now) cache.set(token, verified);
  return verified;
}
