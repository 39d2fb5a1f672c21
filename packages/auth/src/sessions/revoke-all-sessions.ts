import { insertAuditEvent, revokeSessionsByUserId } from '@switchyard/database';
import { invalidateProfiles } from '../accounts/profile-cache';
import { getNow, type AuthDeps } from '../config';
import { auditRequestFields, type SessionActor } from './revoke-session';
import { invalidateSessions } from './session-cache';

export type RevokeAllSessionsOptions = {
  userId: string;
  /** A session to keep, typically the caller's own ("log out everywhere else"). */
  except?: string;
  /** `logout_all`, `password_changed`, `password_reset`, `two_factor_disabled`, `admin`, … */
  reason: string;
  actor?: SessionActor;
};

/**
 * Ends every session of a user (but `except`). Once this resolves every api instance refuses
 * their tokens and has forgotten the user's cached profile. Resolves how many sessions ended.
 */
export async function revokeAllSessions(
  options: RevokeAllSessionsOptions,
  deps: AuthDeps,
): Promise<{ revokedCount: number }> {
  const sessionIds = await revokeSessionsByUserId(deps.db, {
    userId: options.userId,
    exceptSessionId: options.except,
    revokedAt: getNow(deps),
    reason: options.reason,
  });
  if (sessionIds.length > 0) {
    await insertAuditEvent(deps.db, {
      orgId: null,
      actorUserId: options.actor?.userId ?? options.userId,
      action: 'session.revoked_all',
      targetType: 'user',
      targetId: options.userId,
      ...auditRequestFields(options.actor),
      metadata: { reason: options.reason, count: sessionIds.length, kept: options.except ?? null },
    });
    await invalidateSessions(sessionIds, deps);
  }
  // Credential changes end sessions through here, and some change what the profile shows (a
  // password set by a reset, the second factor turned off).
  await invalidateProfiles({ userIds: [options.userId] }, deps);
  return { revokedCount: sessionIds.length };
}
