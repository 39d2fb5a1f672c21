import {
  listAuditEventsWithActor,
  MAX_AUDIT_EVENTS_PAGE,
  type AuditEventCursor,
} from '@switchyard/database';
import { AppError, isUuid } from '@switchyard/shared';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';
import { orgNotFound } from './get-org';

export type AuditEventView = {
  id: string;
  action: string;
  actor: { id: string; email: string; name: string } | null;
  actorUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

export type ListOrgAuditLogOptions = {
  actor: Actor;
  orgId: string;
  /** Page size, 1 to 200. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
};

/** One page of the org's audit log, newest first (admin+). */
export async function listOrgAuditLog(
  options: ListOrgAuditLogOptions,
  deps: Pick<AuthDeps, 'db'>,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const { actor, orgId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'audit_log:read', { orgId });
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_AUDIT_EVENTS_PAGE);
  const before = options.cursor === undefined ? undefined : decodeAuditCursor(options.cursor);
  const rows = await listAuditEventsWithActor(deps.db, { orgId, limit, before });
  const last = rows.at(-1);
  return {
    events: rows.map((row) => ({
      id: row.id,
      action: row.action,
      actor: row.actor,
      actorUserId: row.actorUserId,
      targetType: row.targetType,
      targetId: row.targetId,
      ip: row.ip,
      userAgent: row.userAgent,
      metadata: row.metadata,
      createdAt: row.createdAt,
    })),
    nextCursor: rows.length === limit && last ? encodeAuditCursor(last) : null,
  };
}

export function encodeAuditCursor(cursor: AuditEventCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeAuditCursor(cursor: string): AuditEventCursor {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (rest.length > 0 || !id || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The cursor is not valid.',
      details: { errors: [{ path: 'querystring.cursor', message: 'Invalid cursor' }] },
    });
  }
  return { createdAt, id };
}
