import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { createSession, type SessionActor, type SessionTokens } from '../sessions';
import type { PublicUser } from './public-user';

/** A finished sign-in: the transport sets cookies or returns the tokens (`respondWithSession`). */
export type AuthenticatedResult = {
  status: 'authenticated';
  user: PublicUser;
  session: SessionTokens;
};

/** Starts a new session for a user who has just proved who they are. */
export async function startSession(
  params: {
    userId: string;
    method: string;
    twoFactorVerified: boolean;
    context?: AuditContext | undefined;
  },
  deps: AuthDeps,
): Promise<SessionTokens> {
  return createSession(
    {
      userId: params.userId,
      method: params.method,
      twoFactorVerified: params.twoFactorVerified,
      ip: params.context?.ip ?? null,
      userAgent: params.context?.userAgent ?? null,
    },
    deps,
  );
}

/** The user acting on their own sessions, as the audit log records them. */
export function toSessionActor(userId: string, context: AuditContext | undefined): SessionActor {
  return { userId, ip: context?.ip ?? null, userAgent: context?.userAgent ?? null };
}
