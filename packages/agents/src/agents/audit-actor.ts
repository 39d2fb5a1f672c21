import { isIP } from 'node:net';
import { insertAuditEvent, type DatabaseExecutor } from '@switchyard/database';

/**
 * Who asked for a change, as recorded in the audit log: a member (`userId`) or an API key
 * (`apiKeyId`), with where the request came from. Never put secrets here.
 */
export type AuditActor = {
  userId: string | null;
  apiKeyId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

/** Appends one audit event for a change made by `actor`, in the caller's transaction. */
export async function recordAudit(
  db: DatabaseExecutor,
  params: {
    /** Null for operator actions outside any org (the worker manager). */
    orgId: string | null;
    actor: AuditActor;
    action: string;
    targetType: string;
    targetId: string;
    metadata?: Record<string, unknown>;
  },
): Promise<void> {
  const { actor } = params;
  await insertAuditEvent(db, {
    orgId: params.orgId,
    actorUserId: actor.userId,
    action: params.action,
    targetType: params.targetType,
    targetId: params.targetId,
    ip: actor.ip && isIP(actor.ip) !== 0 ? actor.ip : null,
    // Bounded: the header is client-controlled.
    userAgent: actor.userAgent ? actor.userAgent.slice(0, 512) : null,
    metadata: { ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}), ...params.metadata },
  });
}
