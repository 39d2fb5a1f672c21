/**
 * When the schedules list is fetched again. Each schedule's next run comes from the api
 * (`nextRunAt`), worked out when the list was answered: once the soonest one has passed, a new
 * fetch shows the one after it and the run that firing started.
 */

/** Picks up runs the schedules started and changes made elsewhere while the page is open. */
export const SCHEDULE_LIST_REFRESH_MS = 60_000;
/** Not more often than this, however many schedules fire. */
const MIN_REFRESH_MS = 5_000;
/** A firing's run is created just after its time: wait that long before asking. */
const AFTER_FIRING_MS = 2_000;

/**
 * Milliseconds until the next fetch: shortly after the soonest of `nextRunTimes` (ISO strings;
 * null for paused schedules) still ahead of `now`, and at most `SCHEDULE_LIST_REFRESH_MS`.
 */
export function scheduleListRefreshMs(
  nextRunTimes: readonly (string | null)[],
  now: number,
): number {
  let wait = SCHEDULE_LIST_REFRESH_MS;
  for (const time of nextRunTimes) {
    const at = time === null ? Number.NaN : Date.parse(time);
    // Already past (or this clock runs ahead of the api's): the next fetch brings a new one.
    if (Number.isNaN(at) || at <= now) continue;
    wait = Math.min(wait, at - now + AFTER_FIRING_MS);
  }
  return Math.max(wait, MIN_REFRESH_MS);
}
