/** Limits of one run; each is checked before every model call. */
export type RunBudget = {
  maxTokens?: number;
  maxCostMicros?: number;
  /** Most model calls in the whole run. */
  maxSteps?: number;
  maxDurationMs?: number;
};

/** Why a run or step failed, safe to show to the org's members. */
export type RunError = { code: string; message: string; [key: string]: unknown };
