import { isIP } from 'node:net';
import { insertAuditEvent, type DatabaseExecutor } from '@switchyard/database';
import type { Actor } from './can';

/** Where a request came from, recorded with audit events. Never put secrets here. */
export type AuditContext = { ip?: string | null; userAgent?: string | null };

export type RecordOrgEventParams = {
  orgId: string | null;
  /** The member or key that acted; a key is recorded by id in the metadata. */
  actor: Actor | { kind: 'user'; userId: string };
  action: string;
  targetType?: string;
  targetId?: string;
  /** Names, roles, ids: never a token, key, code or secret. */
  metadata?: Record<string, unknown>;
  context?: AuditContext;
};

/** Appends one audit event for an action of this area. */
export async function recordOrgEvent(
  db: DatabaseExecutor,
  params: RecordOrgEventParams,
): Promise<void> {
  const { actor, context = {} } = params;
  const ip = context.ip && isIP(context.ip) !== 0 ? context.ip : null;
  await insertAuditEvent(db, {
    orgId: params.orgId,
    actorUserId: actor.kind === 'api_key' ? null : actor.userId,
    action: params.action,
    targetType: params.targetType ?? null,
    targetId: params.targetId ?? null,
    ip,
    // Bounded: the header is client-controlled.
    userAgent: context.userAgent ? context.userAgent.slice(0, 512) : null,
    metadata: {
      ...(actor.kind === 'api_key' ? { apiKeyId: actor.apiKeyId ?? null } : {}),
      ...params.metadata,
    },
  });
}
