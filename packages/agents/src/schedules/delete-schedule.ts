import { deleteSchedule as deleteScheduleRow, type Schedule } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import type { ScheduleServiceDeps } from './schedule-deps';

/** Deletes a schedule and its job scheduler; runs it started keep existing. */
export async function deleteSchedule(
  params: { orgId: string; scheduleId: string; actor: AuditActor },
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  const schedule = await deps.db.transaction(async (tx) => {
    const schedule = await deleteScheduleRow(tx, params);
    if (!schedule) throw new AppError('NOT_FOUND', { message: 'Schedule not found.' });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'schedule.deleted',
      targetType: 'schedule',
      targetId: schedule.id,
      metadata: { name: schedule.name },
    });
    return schedule;
  });
  await deps.schedules.removeSchedule(schedule.id);
  return schedule;
}
