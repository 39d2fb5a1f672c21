import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { isApiError, splitFieldErrors, type FieldsByPath } from '@/lib/api/api-error';

/** Where `applyApiError` shows problems that do not name a field of the form by its own name. */
export type ApiErrorPlacement<TValues extends FieldValues> = {
  /** Fields to show a problem under by its `reason` (`invalid_two_factor_code` → `code`). */
  fieldsByReason?: Partial<Record<string, Path<TValues>>>;
  /** Fields named by other problem paths (`budget.maxTokens` → `maxTokens`), see `toFormField`. */
  fieldsByPath?: FieldsByPath<Path<TValues>>;
};

/**
 * Shows a failed request on a React Hook Form form: each problem `errors[].path` that names one
 * of the form's fields goes under that field, the rest becomes the form's `root.server` error.
 */
export function applyApiError<TValues extends FieldValues>(
  form: UseFormReturn<TValues>,
  error: unknown,
  { fieldsByReason = {}, fieldsByPath = {} }: ApiErrorPlacement<TValues> = {},
): void {
  const reasonField = isApiError(error) ? fieldsByReason[error.reason ?? ''] : undefined;
  if (isApiError(error) && reasonField !== undefined && error.fieldErrors.length === 0) {
    form.setError(reasonField, { type: 'server', message: error.message }, { shouldFocus: true });
    return;
  }
  const fields = Object.keys(form.getValues()) as Path<TValues>[];
  const { fields: byField, formMessage } = splitFieldErrors(error, fields, fieldsByPath);
  for (const field of fields) {
    const message = byField[field];
    if (message) form.setError(field, { type: 'server', message }, { shouldFocus: true });
  }
  if (formMessage) form.setError('root.server', { type: 'server', message: formMessage });
}

/** The form-level message set by `applyApiError`, if any. */
export function readFormError<TValues extends FieldValues>(
  form: UseFormReturn<TValues>,
): string | undefined {
  return form.formState.errors.root?.server?.message;
}
