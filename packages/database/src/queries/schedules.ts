import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { schedules, type Schedule, type ScheduleTarget } from '../schema';
import { clampPageSize, olderThan, type PageCursor } from './pagination';

export type { Schedule, ScheduleTarget } from '../schema';

export type ScheduleDefinitionParams = {
  name: string;
  cron: string;
  timezone: string;
  target: ScheduleTarget;
  paused: boolean;
};

export async function insertSchedule(
  db: DatabaseExecutor,
  params: ScheduleDefinitionParams & { orgId: string; createdBy: string | null },
): Promise<Schedule> {
  const [schedule] = await db
    .insert(schedules)
    .values({
      orgId: params.orgId,
      name: params.name,
      cron: params.cron,
      timezone: params.timezone,
      target: params.target,
      paused: params.paused,
      createdBy: params.createdBy,
    })
    .returning();
  if (!schedule) throw new Error('insert into schedules returned no row');
  return schedule;
}

export async function getSchedule(
  db: DatabaseExecutor,
  params: { orgId: string; scheduleId: string },
): Promise<Schedule | null> {
  if (!isUuid(params.orgId) || !isUuid(params.scheduleId)) return null;
  const [schedule] = await db.select().from(schedules).where(scheduleKey(params)).limit(1);
  return schedule ?? null;
}

/** The org's schedules, newest first; pass the last one of a page as `before` for the next. */
export async function listSchedules(
  db: DatabaseExecutor,
  params: { orgId: string; limit?: number; before?: PageCursor },
): Promise<Schedule[]> {
  if (!isUuid(params.orgId)) return [];
  const conditions = [eq(schedules.orgId, params.orgId)];
  if (params.before) conditions.push(olderThan(schedules.createdAt, schedules.id, params.before));
  return db
    .select()
    .from(schedules)
    .where(and(...conditions))
    .orderBy(desc(schedules.createdAt), desc(schedules.id))
    .limit(clampPageSize(params.limit));
}

/** The org's schedules that start the agent or team `targetId`, oldest first, at most `limit`. */
export async function listSchedulesOfTarget(
  db: DatabaseExecutor,
  params: { orgId: string; kind: ScheduleTarget['kind']; targetId: string; limit: number },
): Promise<Schedule[]> {
  if (!isUuid(params.orgId) || !isUuid(params.targetId)) return [];
  return db
    .select()
    .from(schedules)
    .where(
      and(
        eq(schedules.orgId, params.orgId),
        sql`${schedules.target}->>'kind' = ${params.kind}`,
        sql`${schedules.target}->>'id' = ${params.targetId}`,
      ),
    )
    .orderBy(asc(schedules.createdAt), asc(schedules.id))
    .limit(params.limit);
}

/** Changes the given fields of a schedule of the org; null when there is no such schedule. */
export async function updateSchedule(
  db: DatabaseExecutor,
  params: { orgId: string; scheduleId: string } & Partial<ScheduleDefinitionParams>,
): Promise<Schedule | null> {
  if (!isUuid(params.orgId) || !isUuid(params.scheduleId)) return null;
  const { orgId: _orgId, scheduleId: _scheduleId, ...values } = params;
  const [schedule] = await db.update(schedules).set(values).where(scheduleKey(params)).returning();
  return schedule ?? null;
}

/** Records that the schedule fired at `at`. */
export async function markScheduleRun(
  db: DatabaseExecutor,
  params: { orgId: string; scheduleId: string; at: Date },
): Promise<void> {
  if (!isUuid(params.orgId) || !isUuid(params.scheduleId)) return;
  await db
    .update(schedules)
    .set({
      lastRunAt: sql`greatest(${schedules.lastRunAt}, ${params.at.toISOString()}::timestamptz)`,
    })
    .where(scheduleKey(params));
}

export async function deleteSchedule(
  db: DatabaseExecutor,
  params: { orgId: string; scheduleId: string },
): Promise<Schedule | null> {
  if (!isUuid(params.orgId) || !isUuid(params.scheduleId)) return null;
  const [schedule] = await db.delete(schedules).where(scheduleKey(params)).returning();
  return schedule ?? null;
}

/**
 * System scan, across orgs (the scheduler syncing BullMQ job schedulers at boot): every schedule
 * in id order, `limit` at a time after `afterId`.
 */
export async function listAllSchedules(
  db: DatabaseExecutor,
  params: { limit: number; afterId?: string },
): Promise<Schedule[]> {
  const after =
    params.afterId && isUuid(params.afterId) ? gt(schedules.id, params.afterId) : undefined;
  return db
    .select()
    .from(schedules)
    .where(after)
    .orderBy(asc(schedules.id))
    .limit(Math.min(Math.max(Math.trunc(params.limit), 1), 1_000));
}

function scheduleKey(params: { orgId: string; scheduleId: string }) {
  return and(eq(schedules.orgId, params.orgId), eq(schedules.id, params.scheduleId));
}
