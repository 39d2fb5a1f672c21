import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';

/**
 * Validates a job's payload. A payload that does not match will not match on a retry either, so
 * the job fails at once with `UnrecoverableError` instead of using up its attempts.
 */
export function parseJobData<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const result = schema.safeParse(job.data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(payload)';
    return `${path}: ${issue.message}`;
  });
  throw new UnrecoverableError(`Invalid ${job.name} payload: ${problems.join('; ')}`);
}
