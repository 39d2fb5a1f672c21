import { listSchedulesOfTarget, type DatabaseExecutor } from '@switchyard/database';
import { AppError } from '@switchyard/shared';

/** How many of the schedules in the way a refusal names. */
const NAMED_SCHEDULES = 20;

/**
 * Refuses (409) to delete an agent or team that a schedule starts: the schedule's runs would
 * fail from then on. The problem names the schedules (`schedules`: id and name) to delete or
 * change first.
 */
export async function refuseIfScheduled(
  db: DatabaseExecutor,
  params: { orgId: string; kind: 'agent' | 'team'; targetId: string },
): Promise<void> {
  const found = await listSchedulesOfTarget(db, { ...params, limit: NAMED_SCHEDULES + 1 });
  if (found.length === 0) return;
  const named = found.slice(0, NAMED_SCHEDULES);
  const names = named.map((schedule) => `“${schedule.name}”`).join(', ');
  const more = found.length > NAMED_SCHEDULES ? ' and more' : '';
  const [which, them] = found.length === 1 ? ['the schedule', 'it'] : ['the schedules', 'them'];
  throw new AppError('CONFLICT', {
    message: `The ${params.kind} is started by ${which} ${names}${more}. Delete ${them} or point ${them} elsewhere first.`,
    details: { schedules: named.map((schedule) => ({ id: schedule.id, name: schedule.name })) },
  });
}
