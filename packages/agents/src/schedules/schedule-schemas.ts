import cronParser from 'cron-parser';
import { z } from 'zod';
import { RUN_PRIORITY_RANGE } from '../queue/run-queue';
import { MAX_RUN_INPUT_LENGTH, runBudgetSchema } from '../runs/run-schemas';

/** Shortest time between two firings of a schedule. */
export const MIN_SCHEDULE_INTERVAL_MS = 60_000;

/** True when `timezone` is an IANA time zone this runtime knows. */
function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `cron` cannot be used in `timezone`, or null when it can: it must parse and fire at most
 * once a minute.
 */
export function checkCronPattern(cron: string, timezone: string): string | null {
  try {
    const iterator = cronParser.parseExpression(cron, { tz: timezone });
    const first = iterator.next().getTime();
    const second = iterator.next().getTime();
    if (second - first < MIN_SCHEDULE_INTERVAL_MS) return 'must fire at most once a minute';
    return null;
  } catch {
    return 'must be a cron pattern such as "0 9 * * 1-5"';
  }
}

export const scheduleTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), agentId: z.uuid() }).strict(),
  z.object({ kind: z.literal('team'), teamId: z.uuid() }).strict(),
]);

/**
 * When the schedule fires next after `after`, or null when its pattern cannot be read (a row
 * older than the checks).
 */
export function nextScheduleRun(cron: string, timezone: string, after = new Date()): Date | null {
  try {
    return cronParser.parseExpression(cron, { tz: timezone, currentDate: after }).next().toDate();
  } catch {
    return null;
  }
}

const scheduleNameSchema = z.string().trim().min(1).max(100);
/** Five fields (minute hour day-of-month month day-of-week), or six with seconds first. */
const cronSchema = z.string().trim().min(1).max(200);
const timezoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as "Europe/Paris"');
const scheduleInputSchema = z.string().trim().min(1).max(MAX_RUN_INPUT_LENGTH);
const schedulePrioritySchema = z
  .number()
  .int()
  .min(RUN_PRIORITY_RANGE.highest)
  .max(RUN_PRIORITY_RANGE.lowest);

export const createScheduleSchema = z
  .object({
    name: scheduleNameSchema,
    cron: cronSchema,
    timezone: timezoneSchema.default('UTC'),
    target: scheduleTargetSchema,
    input: scheduleInputSchema,
    budget: runBudgetSchema.optional(),
    priority: schedulePrioritySchema.optional(),
    paused: z.boolean().default(false),
  })
  .strict()
  .superRefine((value, context) => {
    if (!isTimeZone(value.timezone)) return;
    const problem = checkCronPattern(value.cron, value.timezone);
    if (problem) context.addIssue({ code: 'custom', path: ['cron'], message: problem });
  });
export type CreateScheduleInput = z.input<typeof createScheduleSchema>;

/**
 * A change to a schedule: only the fields given change; `budget` or `priority` null removes it.
 * Pausing has its own endpoints. The cron pattern is checked against the resulting time zone.
 */
export const updateScheduleSchema = z
  .object({
    name: scheduleNameSchema,
    cron: cronSchema,
    timezone: timezoneSchema,
    target: scheduleTargetSchema,
    input: scheduleInputSchema,
    budget: runBudgetSchema.nullable(),
    priority: schedulePrioritySchema.nullable(),
  })
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'give at least one field to change');
export type UpdateScheduleInput = z.input<typeof updateScheduleSchema>;
