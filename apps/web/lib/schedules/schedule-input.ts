import type { RunBudgetInput } from '@/lib/api/runs';
import type { Schedule } from '@/lib/api/runtime-schemas';
import type { CreateScheduleInput, UpdateScheduleInput } from '@/lib/api/schedules';
import {
  EMPTY_BUDGET,
  toBudgetInput,
  toBudgetValues,
  type BudgetValues,
} from '@/lib/runs/budget-input';
import { toPriorityInput } from '@/lib/runs/priority';
import { parseTargetValue, toTargetValue } from '@/lib/runs/run-target';

/** The schedule form's values, and what they send to the api on create and on edit. */
export type ScheduleFormValues = BudgetValues & {
  name: string;
  /** `agent:<id>` or `team:<id>`; `''` until one is chosen. */
  target: string;
  /** The task each run gets. */
  input: string;
  cron: string;
  timezone: string;
  /** `''` for the plan tier's default. */
  priority: string;
  /** Create only: an existing schedule is paused and resumed with its own buttons. */
  paused: boolean;
};

const BUDGET_LIMITS = ['maxTokens', 'maxCostMicros', 'maxSteps', 'maxDurationMs'] as const;

/** A new schedule's values: weekday mornings in `timezone`. */
export function newScheduleValues(timezone: string): ScheduleFormValues {
  return {
    name: '',
    target: '',
    input: '',
    cron: '0 9 * * 1-5',
    timezone,
    priority: '',
    paused: false,
    ...EMPTY_BUDGET,
  };
}

/** The form's values for a saved schedule. */
export function scheduleFormValues(schedule: Schedule): ScheduleFormValues {
  const { target } = schedule;
  return {
    name: schedule.name,
    target: toTargetValue(target.kind, target.id),
    input: target.input,
    cron: schedule.cron,
    timezone: schedule.timezone,
    priority: target.priority === undefined ? '' : String(target.priority),
    paused: schedule.paused,
    ...toBudgetValues(target.budget),
  };
}

/** A new schedule, or null while no agent or team is chosen. */
export function toScheduleInput(values: ScheduleFormValues): CreateScheduleInput | null {
  const target = parseTargetValue(values.target);
  if (!target) return null;
  const budget = toBudgetInput(values);
  return {
    name: values.name.trim(),
    cron: values.cron.trim(),
    timezone: values.timezone.trim(),
    target,
    input: values.input.trim(),
    ...(Object.keys(budget).length > 0 ? { budget } : {}),
    priority: toPriorityInput(values.priority),
    paused: values.paused,
  };
}

/**
 * The PATCH body for what changed, or null when nothing did. A cleared priority or budget is
 * sent as null (the api then removes it); a changed budget keeps the limits the form does not
 * show (`maxSteps`), since the api replaces the whole budget.
 */
export function buildScheduleUpdate(
  schedule: Schedule,
  values: ScheduleFormValues,
): UpdateScheduleInput | null {
  const update: UpdateScheduleInput = {};
  const name = values.name.trim();
  if (name !== schedule.name) update.name = name;
  const cron = values.cron.trim();
  if (cron !== schedule.cron) update.cron = cron;
  const timezone = values.timezone.trim();
  if (timezone !== schedule.timezone) update.timezone = timezone;
  const target = parseTargetValue(values.target);
  if (target && values.target !== toTargetValue(schedule.target.kind, schedule.target.id)) {
    update.target = target;
  }
  const input = values.input.trim();
  if (input !== schedule.target.input) update.input = input;

  const priority = toPriorityInput(values.priority);
  if (priority !== schedule.target.priority) update.priority = priority ?? null;

  const saved = schedule.target.budget ?? {};
  const budget: RunBudgetInput = {
    ...(saved.maxSteps === undefined ? {} : { maxSteps: saved.maxSteps }),
    ...toBudgetInput(values),
  };
  if (BUDGET_LIMITS.some((limit) => budget[limit] !== saved[limit])) {
    update.budget = Object.keys(budget).length > 0 ? budget : null;
  }
  return Object.keys(update).length > 0 ? update : null;
}
