import { updateSchedule, type Schedule } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import type { ScheduleServiceDeps } from './schedule-deps';

type PauseParams = { orgId: string; scheduleId: string; actor: AuditActor };

/** Stops a schedule firing: removes its job scheduler. Idempotent. */
export async function pauseSchedule(
  params: PauseParams,
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  const schedule = await setPaused(params, true, deps);
  await deps.schedules.removeSchedule(schedule.id);
  return schedule;
}

/** Makes a paused schedule fire again: registers its job scheduler. Idempotent. */
export async function resumeSchedule(
  params: PauseParams,
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  const schedule = await setPaused(params, false, deps);
  await deps.schedules.upsertSchedule(schedule);
  return schedule;
}

async function setPaused(
  params: PauseParams,
  paused: boolean,
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  return deps.db.transaction(async (tx) => {
    const schedule = await updateSchedule(tx, {
      orgId: params.orgId,
      scheduleId: params.scheduleId,
      paused,
    });
    if (!schedule) throw new AppError('NOT_FOUND', { message: 'Schedule not found.' });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: paused ? 'schedule.paused' : 'schedule.resumed',
      targetType: 'schedule',
      targetId: schedule.id,
      metadata: { name: schedule.name },
    });
    return schedule;
  });
}
