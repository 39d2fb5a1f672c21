/**
 * When a schedule's cron pattern fires, worked out in the browser to preview a pattern as it is
 * typed (the api answers a saved schedule's `nextRunAt`). It follows cron-parser 4, which the api validates with and BullMQ fires by:
 * five fields, or six with seconds first (fewer are filled from the left with `0 * *`);
 * `@hourly`-style names; `*`, `?`, lists, ranges and steps; month and weekday names; 7 is
 * Sunday; when both the day of month and the day of week are restricted, either one matches.
 * Patterns with `L` or `#` are valid for the api but not previewed here.
 */

type FieldName = 'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek';

/** Each field's allowed values, in pattern order (seconds first). */
const FIELDS: readonly { name: FieldName; min: number; max: number; label: string }[] = [
  { name: 'second', min: 0, max: 59, label: 'second' },
  { name: 'minute', min: 0, max: 59, label: 'minute' },
  { name: 'hour', min: 0, max: 23, label: 'hour' },
  { name: 'dayOfMonth', min: 1, max: 31, label: 'day of month' },
  { name: 'month', min: 1, max: 12, label: 'month' },
  { name: 'dayOfWeek', min: 0, max: 7, label: 'day of week' },
];
const DEFAULTS = ['0', '*', '*', '*', '*', '*'];
const PREDEFINED: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const NAMES: Partial<Record<FieldName, Record<string, number>>> = {
  month: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
  dayOfWeek: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};
/** February counts 29 days, as in cron-parser. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** How far ahead to look for a firing: covers a 29 February eight years away. */
const SEARCH_DAYS = 366 * 8 + 2;
/** The most a zone's offset moves at once, with room to spare (for skipping past times). */
const MAX_OFFSET_SHIFT_MS = 2 * 3_600_000;
/** The api refuses patterns that fire more often than this. */
export const MIN_CRON_INTERVAL_MS = 60_000;

export type CronFields = Record<FieldName, number[]>;

export type CronParseResult =
  | { ok: true; fields: CronFields }
  | { ok: false; reason: 'invalid' | 'unsupported'; message: string };

class CronSyntaxError extends Error {}

/** Parses `pattern` into the sorted values of each field. */
export function parseCron(pattern: string): CronParseResult {
  const trimmed = pattern.trim();
  const expression = PREDEFINED[trimmed] ?? trimmed;
  const atoms = expression.split(/\s+/).filter((atom) => atom.length > 0);
  if (atoms.length === 0) return invalid('Enter a cron pattern');
  if (atoms.length > 6) return invalid('Use five fields (or six with seconds first)');
  if (/[L#]/.test(expression.replace(/[a-z]{3}/gi, ''))) {
    return { ok: false, reason: 'unsupported', message: 'No preview for patterns with L or #' };
  }
  const start = FIELDS.length - atoms.length;
  try {
    const values = FIELDS.map((field, index) =>
      parseField(index < start ? (DEFAULTS[index] ?? '*') : (atoms[index - start] ?? '*'), field),
    );
    const [second = [], minute = [], hour = [], dayOfMonth = [], month = [], dayOfWeek = []] =
      values;
    const fields: CronFields = { second, minute, hour, dayOfMonth, month, dayOfWeek };
    const onlyMonth = month.length === 1 ? month[0] : undefined;
    if (onlyMonth !== undefined) {
      const days = DAYS_IN_MONTH[onlyMonth - 1] ?? 31;
      if ((dayOfMonth[0] ?? 0) > days) return invalid('That day never occurs in that month');
      fields.dayOfMonth = dayOfMonth.filter((day) => day <= days);
    }
    return { ok: true, fields };
  } catch (error) {
    if (error instanceof CronSyntaxError) return invalid(error.message);
    throw error;
  }
}

function invalid(message: string): CronParseResult {
  return { ok: false, reason: 'invalid', message };
}

function parseField(raw: string, field: (typeof FIELDS)[number]): number[] {
  const names = NAMES[field.name];
  const value = raw.replace(/[a-z]{3}/gi, (name) => {
    const number = names?.[name.toLowerCase()];
    if (number === undefined) throw new CronSyntaxError(`Unknown name “${name}”`);
    return String(number);
  });
  if (!/^[?,*\d/-]+$/.test(value) || (value.includes('?') && !field.name.startsWith('day'))) {
    throw new CronSyntaxError(`The ${field.label} field has characters cron does not accept`);
  }
  const expanded = value.replace(/[*?]/g, `${field.min}-${field.max}`);
  const result: number[] = [];
  for (const atom of expanded.split(',')) {
    if (atom.length === 0) throw new CronSyntaxError(`The ${field.label} field has an empty item`);
    result.push(...parseStep(atom, field));
  }
  return result.sort((a, b) => a - b);
}

/** `a/n` (from a to the end), `a-b/n`, or a plain item. */
function parseStep(atom: string, field: (typeof FIELDS)[number]): number[] {
  const parts = atom.split('/');
  if (parts.length > 2) throw new CronSyntaxError(`“${atom}” has more than one step`);
  const [range = '', step] = parts;
  if (step === undefined) return parseRange(range, 1, field);
  if (range === '') throw new CronSyntaxError(`“${atom}” needs a start before the step`);
  return parseRange(/^\d+$/.test(range) ? `${range}-${field.max}` : range, Number(step), field);
}

function parseRange(range: string, step: number, field: (typeof FIELDS)[number]): number[] {
  const outOfRange = new CronSyntaxError(
    `The ${field.label} must be from ${field.min} to ${field.max}`,
  );
  if (!range.includes('-')) {
    const value = Number(range);
    if (range === '' || value < field.min || value > field.max) throw outOfRange;
    return [field.name === 'dayOfWeek' ? value % 7 : value];
  }
  const [first = '', last = ''] = range.split('-');
  const min = Number(first);
  const max = Number(last);
  if (first === '' || last === '' || min < field.min || max > field.max) throw outOfRange;
  if (min > max) throw new CronSyntaxError(`“${range}” goes backwards`);
  if (!Number.isInteger(step) || step <= 0) throw new CronSyntaxError('A step must be 1 or more');
  const values: number[] = [];
  // Sunday as 7 at the end of a weekday range is also Sunday as 0.
  if (field.name === 'dayOfWeek' && max === 7) values.push(0);
  for (let value = min; value <= max; value += step) {
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

/**
 * The next `count` times `fields` fire in `timeZone`, strictly after `after`; fewer when none
 * comes within eight years. Throws a RangeError for a zone the browser does not know.
 */
export function nextCronTimes(
  fields: CronFields,
  timeZone: string,
  after: Date,
  count: number,
): Date[] {
  const times: Date[] = [];
  let cursor = after.getTime();
  while (times.length < count) {
    const next = findNext(fields, timeZone, cursor);
    if (next === null) break;
    times.push(new Date(next));
    cursor = next;
  }
  return times;
}

function findNext(fields: CronFields, timeZone: string, afterMs: number): number | null {
  const start = wallClock(afterMs, timeZone);
  // Wall times this much before `after` on its own day are certainly past.
  const skipBefore = start.hour * 3_600_000 + start.minute * 60_000 + start.second * 1_000;
  // cron-parser fires again in the hour clocks repeat only when every hour matches.
  const repeatsToo = fields.hour.length === 24;
  for (let offset = 0; offset <= SEARCH_DAYS; offset += 1) {
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const date = {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
    };
    if (!fields.month.includes(date.month)) continue;
    if (!matchesDay(fields, date.month, date.day, day.getUTCDay())) continue;
    // A repeated time's second reading comes before later wall times' first ones.
    let repeated: number | null = null;
    for (const hour of fields.hour) {
      for (const minute of fields.minute) {
        for (const second of fields.second) {
          const sinceMidnight = hour * 3_600_000 + minute * 60_000 + second * 1_000;
          if (offset === 0 && sinceMidnight < skipBefore - MAX_OFFSET_SHIFT_MS) continue;
          const instant = toInstant({ ...date, hour, minute, second }, timeZone);
          const again = repeatsToo ? instant.repeated : null;
          if (again !== null && again > afterMs && (repeated === null || again < repeated)) {
            repeated = again;
          }
          if (instant.first > afterMs) {
            return repeated !== null && repeated < instant.first ? repeated : instant.first;
          }
        }
      }
    }
    if (repeated !== null) return repeated;
  }
  return null;
}

/** cron-parser's rule: a field is "any day" when it lists every day (`*`, `1-31`, `0-7`). */
function matchesDay(fields: CronFields, month: number, day: number, weekday: number): boolean {
  const anyDayOfMonth = fields.dayOfMonth.length >= (DAYS_IN_MONTH[month - 1] ?? 31);
  const anyDayOfWeek = fields.dayOfWeek.length === 8;
  const dayOfMonthMatches = fields.dayOfMonth.includes(day);
  const dayOfWeekMatches = fields.dayOfWeek.includes(weekday);
  if (anyDayOfWeek) return dayOfMonthMatches;
  if (anyDayOfMonth) return dayOfWeekMatches;
  return dayOfMonthMatches || dayOfWeekMatches;
}

type WallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(new Date(ms))) parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(ms / 1_000) * 1_000;
}

/**
 * The instant a wall-clock time happens in `timeZone`, and its second one when the clocks went
 * back over it. A time the clocks skipped lands as far past the change as it was meant to be
 * after its start (02:30 becomes 03:30).
 */
function toInstant(wall: WallClock, timeZone: string): { first: number; repeated: number | null } {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Within an hour or two of the real instant: clock changes are months apart.
  const near = asUtc - offsetAt(asUtc, timeZone);
  const before = offsetAt(near - MAX_OFFSET_SHIFT_MS, timeZone);
  const after = offsetAt(near + MAX_OFFSET_SHIFT_MS, timeZone);
  const early = asUtc - before;
  if (before === after) return { first: early, repeated: null };
  const late = asUtc - after;
  const isEarlyReal = offsetAt(early, timeZone) === before;
  const isLateReal = offsetAt(late, timeZone) === after;
  if (isEarlyReal && isLateReal) return { first: early, repeated: late };
  return { first: isLateReal && !isEarlyReal ? late : early, repeated: null };
}

/** True when the browser knows `timeZone` (an IANA name such as "Europe/Paris"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export type CronPreview =
  | { kind: 'times'; times: Date[] }
  | { kind: 'too_often' }
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'unsupported'; message: string };

/** What to show under a cron field: the next `count` firings, or why there are none. */
export function previewCron(pattern: string, timeZone: string, now: Date, count = 3): CronPreview {
  const parsed = parseCron(pattern);
  if (!parsed.ok) return { kind: parsed.reason, message: parsed.message };
  if (!isTimeZone(timeZone)) return { kind: 'unsupported', message: 'Unknown time zone' };
  const times = nextCronTimes(parsed.fields, timeZone, now, Math.max(count, 2));
  const [first, second] = times;
  if (!first) return { kind: 'none' };
  if (second && second.getTime() - first.getTime() < MIN_CRON_INTERVAL_MS) {
    return { kind: 'too_often' };
  }
  return { kind: 'times', times: times.slice(0, count) };
}
