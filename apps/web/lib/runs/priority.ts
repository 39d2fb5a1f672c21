import type { PlanTier } from '@/lib/api/schemas';

/**
 * Run priorities as the api applies them (1 runs first, 10 last): an org's plan tier sets the
 * most urgent priority its runs may have, and scheduled runs default to two below it.
 */

/** Mirrors the api's `PLAN_TIER_PRIORITY`. */
const TIER_PRIORITY: Record<PlanTier, number> = { enterprise: 1, pro: 3, free: 5 };
const SCHEDULED_RUN_OFFSET = 2;
export const LOWEST_PRIORITY = 10;

export type PriorityChoices = {
  /** What the api uses when no priority is sent; null while the tier is unknown. */
  defaultPriority: number | null;
  /** The priorities worth offering: a more urgent one would be lowered to the tier's. */
  choices: number[];
};

/** Without a known tier every priority is offered and the api caps it. */
export function priorityChoices(
  planTier: PlanTier | undefined,
  { scheduled }: { scheduled: boolean },
): PriorityChoices {
  const mostUrgent = planTier ? TIER_PRIORITY[planTier] : 1;
  const defaultPriority = planTier
    ? Math.min(mostUrgent + (scheduled ? SCHEDULED_RUN_OFFSET : 0), LOWEST_PRIORITY)
    : null;
  const choices = Array.from(
    { length: LOWEST_PRIORITY - mostUrgent + 1 },
    (_, index) => mostUrgent + index,
  );
  return { defaultPriority, choices };
}

/** The form's priority value (`''` for the default) as the api's optional number. */
export function toPriorityInput(value: string): number | undefined {
  return value === '' ? undefined : Number(value);
}
