import { isIP } from 'node:net';
import {
  getSessionById,
  insertAuditEvent,
  revokeSessionById,
  type DatabaseExecutor,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { getNow, type AuthDeps } from '../config';
import { invalidateSessions } from './session-cache';

/** Who ended a session, for the audit log. */
export type SessionActor = {
  userId: string;
  ip?: string | null;
  userAgent?: string | null;
};

export type RevokeSessionOptions = {
  sessionId: string;
  /** The session's owner; another user's session id is answered as not found. */
  userId: string;
  /**
   * Why, stored on the row and in the audit log: `logout`, `user_revoked`, `reauthenticated`,
   * `password_changed`, `refresh_token_reuse`, … `logout` is audited as `auth.logout`, every
   * other reason as `session.revoked`.
   */
  reason: string;
  actor?: SessionActor;
};

/**
 * Ends one session of a user. Once this resolves, every api instance refuses the session's
 * access and refresh tokens. Revoking an already revoked session succeeds without a new event.
 *
 * @throws AppError('NOT_FOUND') when the user has no session with this id.
 */
export async function revokeSession(options: RevokeSessionOptions, deps: AuthDeps): Promise<void> {
  const now = getNow(deps);
  const revoked = await revokeSessionById(deps.db, {
    sessionId: options.sessionId,
    userId: options.userId,
    revokedAt: now,
    reason: options.reason,
  });
  if (!revoked) {
    const existing = await getSessionById(deps.db, { sessionId: options.sessionId });
    if (!existing || existing.userId !== options.userId) {
      throw new AppError('NOT_FOUND', { message: 'No such session.' });
    }
  } else {
    await auditSessionRevoked(deps.db, options, options.sessionId);
  }
  // Also when already revoked: a retry after a failed invalidation must be able to finish it.
  await invalidateSessions([options.sessionId], deps);
}

export async function auditSessionRevoked(
  db: DatabaseExecutor,
  options: { userId: string; reason: string; actor?: SessionActor },
  sessionId: string,
): Promise<void> {
  await insertAuditEvent(db, {
    orgId: null,
    actorUserId: options.actor?.userId ?? options.userId,
    action: options.reason === 'logout' ? 'auth.logout' : 'session.revoked',
    targetType: 'session',
    targetId: sessionId,
    ...auditRequestFields(options.actor),
    metadata: { reason: options.reason, userId: options.userId },
  });
}

/** The actor's ip (only a valid address: the column is `inet`) and bounded user agent. */
export function auditRequestFields(actor: SessionActor | undefined): {
  ip: string | null;
  userAgent: string | null;
} {
  const ip = actor?.ip && isIP(actor.ip) !== 0 ? actor.ip : null;
  return { ip, userAgent: actor?.userAgent ? actor.userAgent.slice(0, 512) : null };
}
