import type { RunError } from '@switchyard/database';
import type { BudgetVerdict } from '../budgets/check-budget';

/** The step's claim is gone (lease expired and reclaimed, or the run ended): stop writing. */
export class LostClaimError extends Error {
  constructor(stepId: string) {
    super(`the claim on step ${stepId} is no longer held`);
    this.name = 'LostClaimError';
  }
}

/** A failure that a retry cannot fix: the step and the run fail with `error`. */
export class PermanentStepError extends Error {
  readonly error: RunError;
  constructor(error: RunError) {
    super(error.message);
    this.name = 'PermanentStepError';
    this.error = error;
  }
}

/** The next model call would cross the run's budget: the run stops, keeping partial results. */
export class BudgetExceededError extends Error {
  readonly verdict: Extract<BudgetVerdict, { ok: false }>;
  constructor(verdict: Extract<BudgetVerdict, { ok: false }>) {
    super(verdict.message);
    this.name = 'BudgetExceededError';
    this.verdict = verdict;
  }
}

/** The step must wait (a provider's rate limit): it goes back to the queue, delayed. */
export class StepDelayError extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, message: string) {
    super(message);
    this.name = 'StepDelayError';
    this.delayMs = delayMs;
  }
}

/** A failure worth retrying (a transient provider or tool error, a timeout). */
export class TransientStepError extends Error {
  readonly error: RunError;
  constructor(error: RunError, options: { cause?: unknown } = {}) {
    super(error.message, { cause: options.cause });
    this.name = 'TransientStepError';
    this.error = error;
  }
}
