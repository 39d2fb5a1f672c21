import { and, desc, eq, gt, isNull, lt, ne } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { sessions, type Session } from '../schema';

export type { Session };

export type InsertSessionParams = {
  userId: string;
  method: string;
  twoFactorVerified: boolean;
  ip?: string | null;
  userAgent?: string | null;
  /** Creation time; also the first `authenticatedAt` and `lastSeenAt`. */
  now: Date;
  /** Absolute end of the session. */
  expiresAt: Date;
};

export async function insertSession(
  db: DatabaseExecutor,
  params: InsertSessionParams,
): Promise<Session> {
  const [session] = await db
    .insert(sessions)
    .values({
      userId: params.userId,
      method: params.method,
      twoFactorVerified: params.twoFactorVerified,
      ip: params.ip ?? null,
      userAgent: params.userAgent ?? null,
      authenticatedAt: params.now,
      createdAt: params.now,
      lastSeenAt: params.now,
      expiresAt: params.expiresAt,
    })
    .returning();
  if (!session) throw new Error('insert into sessions returned no row');
  return session;
}

/** The session, revoked or expired ones included (callers decide what counts as active). */
export async function getSessionById(
  db: DatabaseExecutor,
  params: { sessionId: string },
): Promise<Session | null> {
  if (!isUuid(params.sessionId)) return null;
  const [session] = await db
    .select()
    .from(sessions)
    .where(eq(sessions.id, params.sessionId))
    .limit(1);
  return session ?? null;
}

/**
 * Sets `lastSeenAt` (and the client's ip / user agent when given) unless the session is revoked
 * or was already seen after `notSeenSince`, which keeps concurrent touches to one write.
 * Resolves the updated session, or null when nothing changed.
 */
export async function touchSession(
  db: DatabaseExecutor,
  params: {
    sessionId: string;
    lastSeenAt: Date;
    notSeenSince?: Date;
    ip?: string | null;
    userAgent?: string | null;
  },
): Promise<Session | null> {
  if (!isUuid(params.sessionId)) return null;
  const conditions = [eq(sessions.id, params.sessionId), isNull(sessions.revokedAt)];
  if (params.notSeenSince) conditions.push(lt(sessions.lastSeenAt, params.notSeenSince));
  const [session] = await db
    .update(sessions)
    .set({
      lastSeenAt: params.lastSeenAt,
      ...(params.ip === undefined ? {} : { ip: params.ip }),
      ...(params.userAgent === undefined ? {} : { userAgent: params.userAgent }),
    })
    .where(and(...conditions))
    .returning();
  return session ?? null;
}

/**
 * Revokes one session of one user. Resolves the session when it was revoked by this call, or
 * null when it does not exist, belongs to another user or was already revoked.
 */
export async function revokeSessionById(
  db: DatabaseExecutor,
  params: { sessionId: string; userId?: string; revokedAt: Date; reason: string },
): Promise<Session | null> {
  if (!isUuid(params.sessionId)) return null;
  if (params.userId !== undefined && !isUuid(params.userId)) return null;
  const conditions = [eq(sessions.id, params.sessionId), isNull(sessions.revokedAt)];
  if (params.userId !== undefined) conditions.push(eq(sessions.userId, params.userId));
  const [session] = await db
    .update(sessions)
    .set({ revokedAt: params.revokedAt, revokedReason: params.reason })
    .where(and(...conditions))
    .returning();
  return session ?? null;
}

/** Revokes every unrevoked session of a user, except `exceptSessionId`; resolves their ids. */
export async function revokeSessionsByUserId(
  db: DatabaseExecutor,
  params: { userId: string; exceptSessionId?: string; revokedAt: Date; reason: string },
): Promise<string[]> {
  if (!isUuid(params.userId)) return [];
  const conditions = [eq(sessions.userId, params.userId), isNull(sessions.revokedAt)];
  if (params.exceptSessionId !== undefined && isUuid(params.exceptSessionId)) {
    conditions.push(ne(sessions.id, params.exceptSessionId));
  }
  const rows = await db
    .update(sessions)
    .set({ revokedAt: params.revokedAt, revokedReason: params.reason })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  return rows.map((row) => row.id);
}

/**
 * A user's sessions that are neither revoked nor past their absolute lifetime, most recently
 * seen first. Idle ones are left out by passing `seenSince` (now − idle timeout).
 */
export async function listActiveSessionsByUserId(
  db: DatabaseExecutor,
  params: { userId: string; now: Date; seenSince?: Date; limit?: number },
): Promise<Session[]> {
  if (!isUuid(params.userId)) return [];
  const conditions = [
    eq(sessions.userId, params.userId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, params.now),
  ];
  if (params.seenSince) conditions.push(gt(sessions.lastSeenAt, params.seenSince));
  return db
    .select()
    .from(sessions)
    .where(and(...conditions))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.id))
    .limit(Math.min(Math.max(Math.trunc(params.limit ?? 100), 1), 500));
}
