import { AppError } from '@switchyard/shared';

/**
 * 429 with `Retry-After`. `too_many_requests`: a request rate limit; `too_many_failures`: a
 * progressive delay after failed attempts (the credentials were not checked).
 */
export function rateLimitedError(params: {
  retryAfterSeconds: number;
  reason: 'too_many_requests' | 'too_many_failures';
}): AppError {
  const seconds = Math.max(1, Math.ceil(params.retryAfterSeconds));
  const message =
    params.reason === 'too_many_failures'
      ? `Too many failed attempts. Try again in ${describeWait(seconds)}.`
      : `Too many requests. Try again in ${describeWait(seconds)}.`;
  return new AppError('RATE_LIMITED', {
    message,
    details: { reason: params.reason, retryAfterSeconds: seconds },
    headers: { 'retry-after': String(seconds) },
  });
}

function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
