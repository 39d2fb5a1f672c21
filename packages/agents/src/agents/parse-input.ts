import type { z } from 'zod';
import { AppError } from '@switchyard/shared';

/** Parses service input with `schema`; a failure is a 400 listing every failing field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', {
    message: 'The request is not valid.',
    details: {
      errors: result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      })),
    },
  });
}
