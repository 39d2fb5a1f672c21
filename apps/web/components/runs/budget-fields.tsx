import type { UseFormRegisterReturn } from 'react-hook-form';
import { TextField } from '@/components/forms/text-field';
import type { BudgetValues } from '@/lib/runs/budget-input';

type BudgetField = keyof BudgetValues;

/** The optional budget of a run (or of each run a schedule starts), as three text boxes. */
export function BudgetFields({
  register,
  errors,
  legend = 'Budget (optional)',
}: {
  register: (field: BudgetField) => UseFormRegisterReturn;
  errors: Partial<Record<BudgetField, string | undefined>>;
  legend?: string;
}) {
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <p className="text-xs text-muted-foreground">
        A model call that would cross a limit is not made: the run stops and keeps what it did so
        far.
      </p>
      <div className="grid items-start gap-4 sm:grid-cols-3">
        <TextField
          label="Max tokens"
          inputMode="numeric"
          placeholder="No limit"
          error={errors.maxTokens}
          {...register('maxTokens')}
        />
        <TextField
          label="Max cost (USD)"
          inputMode="decimal"
          placeholder="No limit"
          error={errors.maxCostDollars}
          {...register('maxCostDollars')}
        />
        <TextField
          label="Max duration (minutes)"
          inputMode="numeric"
          placeholder="Server default"
          error={errors.maxDurationMinutes}
          {...register('maxDurationMinutes')}
        />
      </div>
    </fieldset>
  );
}
