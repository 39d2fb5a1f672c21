import { AppError } from '@switchyard/shared';
import { z } from 'zod';

/** Refuses an output schema that is not a JSON Schema the engine can check answers against. */
export function assertOutputSchema(schema: Record<string, unknown> | null | undefined): void {
  if (!schema) return;
  try {
    z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new AppError('UNPROCESSABLE', {
      message: 'The output schema is not a usable JSON Schema.',
      cause: error,
      details: {
        errors: [
          {
            path: 'outputSchema',
            message: error instanceof Error ? error.message : 'not a JSON Schema',
          },
        ],
      },
    });
  }
}
