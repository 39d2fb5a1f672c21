import { describe, expect, it } from 'vitest';
import { SCHEDULE_LIST_REFRESH_MS, scheduleListRefreshMs } from './list-refresh';

const NOW = Date.parse('2025-01-01T12:00:00.000Z');
const inSeconds = (seconds: number) => new Date(NOW + seconds * 1_000).toISOString();

describe('scheduleListRefreshMs', () => {
  it('waits the usual minute when nothing fires sooner', () => {
    expect(scheduleListRefreshMs([], NOW)).toBe(SCHEDULE_LIST_REFRESH_MS);
    expect(scheduleListRefreshMs([null, inSeconds(3_600)], NOW)).toBe(SCHEDULE_LIST_REFRESH_MS);
  });

  it('asks again just after the soonest next run', () => {
    expect(scheduleListRefreshMs([inSeconds(40), null, inSeconds(20)], NOW)).toBe(22_000);
  });

  it('ignores next runs already past and asks at most every five seconds', () => {
    expect(scheduleListRefreshMs([inSeconds(-10)], NOW)).toBe(SCHEDULE_LIST_REFRESH_MS);
    expect(scheduleListRefreshMs([inSeconds(1)], NOW)).toBe(5_000);
  });
});
