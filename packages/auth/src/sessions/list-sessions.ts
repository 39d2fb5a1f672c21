import { listActiveSessionsByUserId } from '@switchyard/database';
import { getNow, type AuthDeps } from '../config';
import { describeUserAgent } from './describe-user-agent';

export type SessionSummary = {
  id: string;
  /** For example `Firefox on Windows`. */
  device: string;
  ip: string | null;
  /** `password`, `oauth:<provider>`. */
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session making the request. */
  current: boolean;
};

/** A user's active sessions (not revoked, expired or idle), most recently seen first. */
export async function listSessions(
  options: { userId: string; currentSessionId?: string },
  deps: AuthDeps,
): Promise<SessionSummary[]> {
  const now = getNow(deps);
  const rows = await listActiveSessionsByUserId(deps.db, {
    userId: options.userId,
    now,
    seenSince: new Date(now.getTime() - deps.config.sessionIdleTimeoutSeconds * 1000),
  });
  return rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.userAgent),
    ip: row.ip,
    method: row.method,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === options.currentSessionId,
  }));
}
