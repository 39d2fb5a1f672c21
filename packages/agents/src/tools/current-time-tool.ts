import { z } from 'zod';
import { ToolError } from './tool-error';
import { defineTool } from './types';

export const currentTimeArgumentsSchema = z.object({
  timezone: z
    .string()
    .max(64)
    .optional()
    .describe('IANA time zone such as "Europe/Paris"; UTC when omitted'),
});

/** Options for {@link createCurrentTimeTool}. */
export type CurrentTimeToolOptions = {
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
};

/** `current_time`: the current date and time, in UTC or a given time zone. */
export function createCurrentTimeTool(options: CurrentTimeToolOptions = {}) {
  const now = options.now ?? (() => new Date());
  return defineTool({
    name: 'current_time',
    description: 'Get the current date and time (ISO 8601), optionally in an IANA time zone.',
    parameters: currentTimeArgumentsSchema,
    sideEffects: false,
    async execute({ timezone = 'UTC' }) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat('en-US', {
          timeZone: timezone,
          dateStyle: 'full',
          timeStyle: 'long',
        });
      } catch (error) {
        throw new ToolError('invalid_arguments', `Unknown time zone "${timezone}"`, {
          cause: error,
        });
      }
      const date = now();
      return {
        iso: date.toISOString(),
        unixMs: date.getTime(),
        timezone: format.resolvedOptions().timeZone,
        local: format.format(date),
      };
    },
  });
}

export const currentTimeTool = createCurrentTimeTool();
