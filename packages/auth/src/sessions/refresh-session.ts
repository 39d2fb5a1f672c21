import {
  getRefreshTokenByHash,
  getSessionById,
  insertRefreshToken,
  markRefreshTokenUsed,
  revokeSessionById,
  touchSession,
  type RefreshToken,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { getNow, type AuthDeps } from '../config';
import { generateSecretToken, hashToken } from '../crypto';
import { issueAccessToken } from '../tokens';
import { clampUserAgent, refreshTokenExpiry, type SessionTokens } from './create-session';
import { isSessionUsable } from './get-active-session';
import { auditSessionRevoked } from './revoke-session';
import { invalidateSessions, toActiveSession, writeRedisSession } from './session-cache';

export type RefreshSessionMeta = { ip?: string | null; userAgent?: string | null };

function unauthenticated(): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'The refresh token is invalid or has expired. Sign in again.',
  });
}

/**
 * Exchanges a refresh token for a new access token and a new refresh token in the same session.
 * Each refresh token works once: presenting one that was already exchanged means it was stolen
 * (or replayed), so the whole session — every token of the family — is revoked. Enforces the
 * session's idle timeout and absolute lifetime.
 *
 * @throws AppError('UNAUTHENTICATED') for unknown, used, expired or revoked tokens.
 */
export async function refreshSession(
  refreshToken: string,
  meta: RefreshSessionMeta,
  deps: AuthDeps,
): Promise<SessionTokens> {
  const now = getNow(deps);
  if (refreshToken.length < 16 || refreshToken.length > 256) throw unauthenticated();
  const tokenHash = hashToken(refreshToken);

  // Atomic: of two concurrent exchanges of one token, exactly one gets here with the row.
  const used = await markRefreshTokenUsed(deps.db, { tokenHash, usedAt: now });
  if (!used) {
    const existing = await getRefreshTokenByHash(deps.db, { tokenHash });
    if (existing) await revokeReusedFamily(existing, meta, deps);
    throw unauthenticated();
  }

  const row = await getSessionById(deps.db, { sessionId: used.sessionId });
  if (
    !row ||
    row.revokedAt !== null ||
    used.expiresAt <= now ||
    !isSessionUsable(toActiveSession(row), now, deps.config)
  ) {
    throw unauthenticated();
  }

  const nextToken = generateSecretToken();
  const refreshTokenExpiresAt = refreshTokenExpiry(now, row.expiresAt, deps.config);
  const session = await deps.db.transaction(async (tx) => {
    const touched = await touchSession(tx, {
      sessionId: row.id,
      lastSeenAt: now,
      ip: meta.ip ?? row.ip,
      userAgent: clampUserAgent(meta.userAgent) ?? row.userAgent,
    });
    // Revoked between the check above and now.
    if (!touched) throw unauthenticated();
    await insertRefreshToken(tx, {
      sessionId: row.id,
      tokenHash: hashToken(nextToken),
      createdAt: now,
      expiresAt: refreshTokenExpiresAt,
    });
    return touched;
  });
  await writeRedisSession(deps.redis, toActiveSession(session), now, deps.log);

  const access = await issueAccessToken({ userId: session.userId, sessionId: session.id }, deps);
  return {
    session,
    accessToken: access.accessToken,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: nextToken,
    refreshTokenExpiresAt,
  };
}

async function revokeReusedFamily(
  token: RefreshToken,
  meta: RefreshSessionMeta,
  deps: AuthDeps,
): Promise<void> {
  const revoked = await revokeSessionById(deps.db, {
    sessionId: token.sessionId,
    revokedAt: getNow(deps),
    reason: 'refresh_token_reuse',
  });
  if (revoked) {
    deps.log.warn(
      { sessionId: revoked.id, userId: revoked.userId },
      'a used refresh token was presented again; the session was revoked',
    );
    await auditSessionRevoked(
      deps.db,
      {
        userId: revoked.userId,
        reason: 'refresh_token_reuse',
        actor: { userId: revoked.userId, ip: meta.ip, userAgent: clampUserAgent(meta.userAgent) },
      },
      revoked.id,
    );
  }
  await invalidateSessions([token.sessionId], deps);
}
