import { z } from 'zod';
import type { RunBudgetInput } from '@/lib/api/runs';

/**
 * A run's optional budget as typed into a form (strings; empty means "no limit"), shared by the
 * new-run and schedule forms.
 */

/** An optional number typed into a text box: empty means "no limit". */
const optionalLimit = (message: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || /^\d+(\.\d+)?$/.test(value), message);

/** Spread into a form's zod object. */
export const budgetFields = {
  maxTokens: optionalLimit('Enter a number of tokens, or leave it empty'),
  maxCostDollars: optionalLimit('Enter an amount in dollars, like 0.50, or leave it empty'),
  maxDurationMinutes: optionalLimit('Enter a number of minutes, or leave it empty'),
};
export type BudgetValues = {
  maxTokens: string;
  maxCostDollars: string;
  maxDurationMinutes: string;
};

export const EMPTY_BUDGET: BudgetValues = {
  maxTokens: '',
  maxCostDollars: '',
  maxDurationMinutes: '',
};

/** The api's `budget.*` problem paths, under the form field each comes from. */
export const BUDGET_FIELDS_BY_PATH = {
  'budget.maxTokens': 'maxTokens',
  'budget.maxCostMicros': 'maxCostDollars',
  'budget.maxDurationMs': 'maxDurationMinutes',
} as const;

/** Dollars become micro-dollars and minutes milliseconds; empty fields are left out. */
export function toBudgetInput(values: BudgetValues): RunBudgetInput {
  const budget: RunBudgetInput = {};
  if (values.maxTokens) budget.maxTokens = Math.round(Number(values.maxTokens));
  if (values.maxCostDollars) budget.maxCostMicros = Math.round(Number(values.maxCostDollars) * 1e6);
  if (values.maxDurationMinutes) {
    budget.maxDurationMs = Math.round(Number(values.maxDurationMinutes) * 60_000);
  }
  return budget;
}

/**
 * The fields' text for a saved budget (the inverse of `toBudgetInput`), for forms that edit one.
 * Limits the fields do not show (`maxSteps`) are left out.
 */
export function toBudgetValues(budget: RunBudgetInput | undefined): BudgetValues {
  return {
    maxTokens: budget?.maxTokens === undefined ? '' : String(budget.maxTokens),
    maxCostDollars: budget?.maxCostMicros === undefined ? '' : String(budget.maxCostMicros / 1e6),
    maxDurationMinutes:
      budget?.maxDurationMs === undefined ? '' : String(budget.maxDurationMs / 60_000),
  };
}
