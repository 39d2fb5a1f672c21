import type { RunBudget } from '@switchyard/database';

export type BudgetLimit = keyof RunBudget;

/** What the run has used so far. */
export type BudgetUsage = {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** Model calls made so far. */
  steps: number;
};

/** The next model call, as far as it can be known before making it. */
export type ModelCallEstimate = { inputTokens: number; costMicros: number };

export type BudgetVerdict =
  { ok: true } | { ok: false; limit: BudgetLimit; message: string; used: number; max: number };

/**
 * Decides, before a model call, whether the run may make it: the call must not take tokens,
 * cost or model calls past the budget (usage so far plus the request's own size), and the run
 * must be within its wall-clock deadline.
 */
export function checkBudget(params: {
  budget: RunBudget;
  usage: BudgetUsage;
  estimate: ModelCallEstimate;
  deadlineAt: Date | null;
  now: Date;
}): BudgetVerdict {
  const { budget, usage, estimate } = params;
  if (budget.maxSteps !== undefined && usage.steps + 1 > budget.maxSteps) {
    return {
      ok: false,
      limit: 'maxSteps',
      message: `The run has made ${usage.steps} of its ${budget.maxSteps} model calls.`,
      used: usage.steps,
      max: budget.maxSteps,
    };
  }
  const tokens = usage.inputTokens + usage.outputTokens;
  if (budget.maxTokens !== undefined && tokens + estimate.inputTokens > budget.maxTokens) {
    return {
      ok: false,
      limit: 'maxTokens',
      message: `The next model call (about ${estimate.inputTokens} tokens) would take the run past its ${budget.maxTokens}-token budget (${tokens} used).`,
      used: tokens,
      max: budget.maxTokens,
    };
  }
  if (
    budget.maxCostMicros !== undefined &&
    usage.costMicros + estimate.costMicros > budget.maxCostMicros
  ) {
    return {
      ok: false,
      limit: 'maxCostMicros',
      message: `The next model call would take the run past its cost budget of ${budget.maxCostMicros} micro-dollars (${usage.costMicros} used).`,
      used: usage.costMicros,
      max: budget.maxCostMicros,
    };
  }
  if (params.deadlineAt && params.now.getTime() >= params.deadlineAt.getTime()) {
    const max = budget.maxDurationMs ?? 0;
    return {
      ok: false,
      limit: 'maxDurationMs',
      message: 'The run reached its time limit.',
      used: max,
      max,
    };
  }
  return { ok: true };
}
