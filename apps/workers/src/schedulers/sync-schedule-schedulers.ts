import { listAllSchedules, type Database } from '@switchyard/database';
import type { ScheduleQueue } from '@switchyard/agents';

const PAGE_SIZE = 500;

/**
 * Makes Redis agree with PostgreSQL at boot: every live schedule has its BullMQ job scheduler and
 * every paused one has none (Redis restored from an old snapshot or flushed, a registration that
 * failed while Redis was down). Upserting an unchanged scheduler is harmless, so every worker
 * process may run it.
 */
export async function syncScheduleSchedulers(deps: {
  db: Database;
  schedules: Pick<ScheduleQueue, 'upsertSchedule' | 'removeSchedule'>;
}): Promise<{ registered: number; removed: number }> {
  let registered = 0;
  let removed = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await listAllSchedules(deps.db, {
      limit: PAGE_SIZE,
      ...(afterId ? { afterId } : {}),
    });
    for (const schedule of page) {
      if (schedule.paused) {
        await deps.schedules.removeSchedule(schedule.id);
        removed += 1;
      } else {
        await deps.schedules.upsertSchedule(schedule);
        registered += 1;
      }
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) return { registered, removed };
    afterId = last.id;
  }
}
