import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { AppError, isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { auditLog, users, type AuditEvent, type User } from '../schema';

export type InsertAuditEventParams = {
  /** Null for events outside any org (for example a failed sign-in). */
  orgId: string | null;
  actorUserId?: string | null;
  /** Dotted verb, for example `member.invited`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** A valid IPv4/IPv6 address. */
  ip?: string | null;
  userAgent?: string | null;
  /** Structured details; never secrets or tokens. */
  metadata?: Record<string, unknown>;
};

export async function insertAuditEvent(
  db: DatabaseExecutor,
  params: InsertAuditEventParams,
): Promise<AuditEvent> {
  const [event] = await db
    .insert(auditLog)
    .values({
      orgId: params.orgId,
      actorUserId: params.actorUserId ?? null,
      action: params.action,
      targetType: params.targetType ?? null,
      targetId: params.targetId ?? null,
      ip: params.ip ?? null,
      userAgent: params.userAgent ?? null,
      metadata: params.metadata ?? {},
    })
    .returning();
  if (!event) throw new Error('insert into audit_log returned no row');
  return event;
}

/** Position after which the next page starts: the `createdAt` and `id` of the last event seen. */
export type AuditEventCursor = { createdAt: Date; id: string };

export const MAX_AUDIT_EVENTS_PAGE = 200;

/** One org's events, newest first; pass the last event of a page as `before` for the next. */
export async function listAuditEvents(
  db: DatabaseExecutor,
  params: { orgId: string; limit: number; before?: AuditEventCursor },
): Promise<AuditEvent[]> {
  if (!isUuid(params.orgId)) return [];
  return db
    .select()
    .from(auditLog)
    .where(pageConditions(params))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(clampPageSize(params.limit));
}

export type AuditEventWithActor = AuditEvent & {
  /** The acting user while the account exists; null for system events and deleted users. */
  actor: Pick<User, 'id' | 'email' | 'name'> | null;
};

/** `listAuditEvents` with the acting user's name and e-mail, for display to org admins. */
export async function listAuditEventsWithActor(
  db: DatabaseExecutor,
  params: { orgId: string; limit: number; before?: AuditEventCursor },
): Promise<AuditEventWithActor[]> {
  if (!isUuid(params.orgId)) return [];
  const rows = await db
    .select({
      event: auditLog,
      actor: { id: users.id, email: users.email, name: users.name },
    })
    .from(auditLog)
    .leftJoin(users, and(eq(users.id, auditLog.actorUserId), isNull(users.deletedAt)))
    .where(pageConditions(params))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(clampPageSize(params.limit));
  return rows.map((row) => ({ ...row.event, actor: row.actor }));
}

function clampPageSize(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_AUDIT_EVENTS_PAGE);
}

function pageConditions(params: { orgId: string; before?: AuditEventCursor }) {
  const conditions = [eq(auditLog.orgId, params.orgId)];
  if (params.before) {
    if (!isUuid(params.before.id) || Number.isNaN(params.before.createdAt.getTime())) {
      throw new AppError('VALIDATION_FAILED', { message: 'The audit log cursor is not valid.' });
    }
    // Row comparison keeps events that share a timestamp on exactly one page.
    conditions.push(
      sql`(${auditLog.createdAt}, ${auditLog.id}) < (${params.before.createdAt.toISOString()}::timestamptz, ${params.before.id}::uuid)`,
    );
  }
  return and(...conditions);
}

/**
 * Retention: deletes events created before `before`, across all orgs, `batchSize` rows per
 * statement so that each delete is a short transaction and a huge table is never locked for long.
 * Resolves the number of rows deleted. Pass the database, not a transaction, or the batches share
 * one transaction and its locks.
 */
export async function deleteAuditEventsOlderThan(
  db: DatabaseExecutor,
  params: { before: Date; batchSize?: number },
): Promise<number> {
  const batchSize = params.batchSize ?? 1_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(lt(auditLog.createdAt, params.before))
      .orderBy(auditLog.createdAt)
      .limit(batchSize)
      // Concurrent retention jobs share the work instead of queueing on the same rows.
      .for('update', { skipLocked: true });
    const result = await db.delete(auditLog).where(inArray(auditLog.id, batch));
    const deleted = result.rowCount ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
