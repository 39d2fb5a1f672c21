import type { PlanTier } from '@switchyard/database';
import { RUN_PRIORITY_RANGE } from '../queue/run-queue';

/**
 * The most urgent priority each plan tier may use (BullMQ: a lower number runs first). Paid
 * tiers' steps are taken before free ones when workers are busy; the per-org concurrency limit
 * keeps one org's flood from starving the others within a tier.
 */
export const PLAN_TIER_PRIORITY: Record<PlanTier, number> = {
  enterprise: 1,
  pro: 3,
  free: 5,
};

/** How much less urgent a scheduled (background) run is than an interactive one by default. */
const SCHEDULED_RUN_OFFSET = 2;

/**
 * A run's queue priority: the priority it asked for, never more urgent than its org's plan tier
 * allows. Without a request, interactive runs get their tier's priority and scheduled runs a
 * little less, so people waiting on a run go before cron jobs of the same tier.
 */
export function resolveRunPriority(params: {
  planTier: PlanTier;
  requested?: number | undefined;
  scheduled: boolean;
}): number {
  const floor = PLAN_TIER_PRIORITY[params.planTier];
  const wanted = params.requested ?? floor + (params.scheduled ? SCHEDULED_RUN_OFFSET : 0);
  return Math.min(Math.max(wanted, floor), RUN_PRIORITY_RANGE.lowest);
}
