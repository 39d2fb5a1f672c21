import { getSessionById, touchSession } from '@switchyard/database';
import { isUuid } from '@switchyard/shared';
import { getNow, type AuthConfig, type AuthDeps } from '../config';
import {
  getLiveLocalCache,
  readLocal,
  readRedisSession,
  toActiveSession,
  writeLocal,
  writeRedisSession,
  type ActiveSession,
} from './session-cache';

/** `lastSeenAt` is written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;

// Sessions whose touch is in flight in this process: concurrent requests write once.
const touching = new Set<string>();

export function isSessionUsable(session: ActiveSession, now: Date, config: AuthConfig): boolean {
  const idleUntil = session.lastSeenAt.getTime() + config.sessionIdleTimeoutSeconds * 1000;
  return now < session.expiresAt && now.getTime() < idleUntil;
}

async function loadSession(sessionId: string, deps: AuthDeps): Promise<ActiveSession | null> {
  const row = await getSessionById(deps.db, { sessionId });
  return row && row.revokedAt === null ? toActiveSession(row) : null;
}

/**
 * The per-request session check: the session when it is neither revoked, nor past its absolute
 * lifetime, nor idle for longer than the idle timeout; otherwise null. Exact for revocation and
 * cheap: answered from memory or Redis (see `session-cache.ts`); `lastSeenAt` is touched at
 * most once a minute.
 */
export async function getActiveSession(
  sessionId: string,
  deps: AuthDeps,
): Promise<ActiveSession | null> {
  if (!isUuid(sessionId)) return null;
  const now = getNow(deps);
  const local = getLiveLocalCache(deps.redis);

  let session = readLocal(local, sessionId);
  let fromCache = session !== null;
  if (!session) {
    const generation = local?.generation;
    const cached = await readRedisSession(deps.redis, sessionId, deps.log);
    if (cached === 'revoked') return null;
    if (cached) {
      session = cached;
      fromCache = true;
    } else {
      session = await loadSession(sessionId, deps);
      if (!session) return null;
      await writeRedisSession(deps.redis, session, now, deps.log);
    }
    writeLocal(local, generation, session);
  }

  if (!isSessionUsable(session, now, deps.config)) {
    // A cached copy can carry an older `lastSeenAt` than the row; only the row may refuse.
    if (!fromCache) return null;
    local?.entries.delete(sessionId);
    const generation = local?.generation;
    const fresh = await loadSession(sessionId, deps);
    if (!fresh || !isSessionUsable(fresh, now, deps.config)) return null;
    await writeRedisSession(deps.redis, fresh, now, deps.log);
    writeLocal(local, generation, fresh);
    session = fresh;
  }

  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    return touchActiveSession(session, now, deps);
  }
  return session;
}

async function touchActiveSession(
  session: ActiveSession,
  now: Date,
  deps: AuthDeps,
): Promise<ActiveSession | null> {
  if (touching.has(session.id)) return session;
  touching.add(session.id);
  try {
    const local = getLiveLocalCache(deps.redis);
    const generation = local?.generation;
    const updated = await touchSession(deps.db, {
      sessionId: session.id,
      lastSeenAt: now,
      notSeenSince: new Date(now.getTime() - TOUCH_INTERVAL_MS),
    });
    // Nothing updated: another instance touched it first, or it was revoked meanwhile.
    const fresh = updated ? toActiveSession(updated) : await loadSession(session.id, deps);
    if (!fresh) {
      local?.entries.delete(session.id);
      return null;
    }
    await writeRedisSession(deps.redis, fresh, now, deps.log);
    writeLocal(local, generation, fresh);
    return fresh;
  } finally {
    touching.delete(session.id);
  }
}
