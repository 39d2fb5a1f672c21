import { z } from 'zod';

export const fieldErrorSchema = z.object({
  path: z.string().describe('Where the bad input is, for example `body.name` or `query.limit`.'),
  message: z.string(),
});

/**
 * RFC 9457 problem details, the body of every error response (`application/problem+json`).
 * Loose so that problem-specific extension members (for example `checks`) pass through.
 */
export const problemSchema = z.looseObject({
  type: z.string().describe('URI identifying the problem type.'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('Human-readable explanation of this occurrence.'),
  code: z.string().describe('Stable machine-readable error code, for example `NOT_FOUND`.'),
  instance: z.string().optional().describe('Path of the request that failed.'),
  errors: z.array(fieldErrorSchema).optional().describe('The failing input fields.'),
});
