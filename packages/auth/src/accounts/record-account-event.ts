import { isIP } from 'node:net';
import {
  insertAuditEvent,
  listMembershipsForUser,
  type DatabaseExecutor,
} from '@switchyard/database';
import type { AuditContext } from '../access/audit-context';

/**
 * Appends an audit event about a user's own account (login, password, second factor, e-mail).
 * It is filed under their personal org so the user can read their account's trail; an event
 * without a known user (a failed login for an unknown address) has no org.
 */
export async function recordAccountEvent(
  db: DatabaseExecutor,
  params: {
    /** The account concerned; null when the request named no existing account. */
    userId: string | null;
    /** Whether that user performed the action (false for a failed login, for example). */
    byUser?: boolean;
    action: string;
    /** Reasons, methods, counts: never a password, token, code or secret. */
    metadata?: Record<string, unknown>;
    context?: AuditContext;
  },
): Promise<void> {
  let orgId: string | null = null;
  if (params.userId !== null) {
    const memberships = await listMembershipsForUser(db, { userId: params.userId });
    const personal = memberships.find(
      (membership) => membership.organization.personal && membership.role === 'owner',
    );
    orgId = personal?.orgId ?? null;
  }
  const context = params.context ?? {};
  await insertAuditEvent(db, {
    orgId,
    actorUserId: params.byUser === false ? null : params.userId,
    action: params.action,
    targetType: params.userId === null ? null : 'user',
    targetId: params.userId,
    ip: context.ip && isIP(context.ip) !== 0 ? context.ip : null,
    // Bounded: the header is client-controlled.
    userAgent: context.userAgent ? context.userAgent.slice(0, 512) : null,
    metadata: params.metadata ?? {},
  });
}
