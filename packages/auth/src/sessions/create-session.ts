import { insertRefreshToken, insertSession, type Session } from '@switchyard/database';
import { getNow, type AuthConfig, type AuthDeps } from '../config';
import { generateSecretToken, hashToken } from '../crypto';
import { issueAccessToken } from '../tokens';

/** What a login (or a refresh) hands to the client. */
export type SessionTokens = {
  session: Session;
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Opaque, 256 bits; only its hash is stored. Shown to the client once. */
  refreshToken: string;
  refreshTokenExpiresAt: Date;
};

export type CreateSessionOptions = {
  userId: string;
  /** How the user proved who they are: `password`, `oauth:<provider>`. */
  method: string;
  twoFactorVerified: boolean;
  ip?: string | null;
  userAgent?: string | null;
};

const MAX_USER_AGENT_LENGTH = 512;

export function clampUserAgent(userAgent: string | null | undefined): string | null {
  return userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null;
}

/** A refresh token lives until the session would go idle, never past its absolute end. */
export function refreshTokenExpiry(now: Date, sessionExpiresAt: Date, config: AuthConfig): Date {
  const idleEnd = now.getTime() + config.sessionIdleTimeoutSeconds * 1000;
  return new Date(Math.min(idleEnd, sessionExpiresAt.getTime()));
}

/**
 * Starts a new session (login, re-authentication, OAuth callback) and issues its first access
 * and refresh tokens. Callers that replace a session revoke the old one themselves.
 */
export async function createSession(
  options: CreateSessionOptions,
  deps: AuthDeps,
): Promise<SessionTokens> {
  const now = getNow(deps);
  const refreshToken = generateSecretToken();
  const { session, refreshTokenExpiresAt } = await deps.db.transaction(async (tx) => {
    const created = await insertSession(tx, {
      userId: options.userId,
      method: options.method,
      twoFactorVerified: options.twoFactorVerified,
      ip: options.ip ?? null,
      userAgent: clampUserAgent(options.userAgent),
      now,
      expiresAt: new Date(now.getTime() + deps.config.sessionAbsoluteLifetimeSeconds * 1000),
    });
    const expiresAt = refreshTokenExpiry(now, created.expiresAt, deps.config);
    await insertRefreshToken(tx, {
      sessionId: created.id,
      tokenHash: hashToken(refreshToken),
      createdAt: now,
      expiresAt,
    });
    return { session: created, refreshTokenExpiresAt: expiresAt };
  });
  const access = await issueAccessToken({ userId: session.userId, sessionId: session.id }, deps);
  return {
    session,
    accessToken: access.accessToken,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
  };
}
