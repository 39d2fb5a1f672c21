import { getSchedule as querySchedule, type Database, type Schedule } from '@switchyard/database';
import { AppError } from '@switchyard/shared';

/** One schedule of the org; another org's (or an unknown) id is a 404. */
export async function getSchedule(
  params: { orgId: string; scheduleId: string },
  deps: { db: Database },
): Promise<Schedule> {
  const schedule = await querySchedule(deps.db, params);
  if (!schedule) throw new AppError('NOT_FOUND', { message: 'Schedule not found.' });
  return schedule;
}
