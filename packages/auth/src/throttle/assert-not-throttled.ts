import type { AuthDeps } from '../config';
import { getNow } from '../config';
import { rateLimitedError } from './rate-limited-error';
import { throttleKey } from './throttle-keys';
import type { ThrottleSubject } from './throttle-subjects';

/**
 * Refuses an attempt while any subject is in a delay after failed attempts: 429 with
 * `Retry-After`, before any password or code is checked (so it costs no argon2 either).
 */
export async function assertNotThrottled(
  params: { subjects: ThrottleSubject[] },
  deps: Pick<AuthDeps, 'redis' | 'now'>,
): Promise<void> {
  if (params.subjects.length === 0) return;
  const now = getNow(deps).getTime();
  const values = await Promise.all(
    params.subjects.map((subject) => deps.redis.hget(throttleKey(subject), 'blockedUntil')),
  );
  const blockedUntil = Math.max(...values.map((value) => Number(value ?? 0) || 0));
  if (blockedUntil > now) {
    throw rateLimitedError({
      retryAfterSeconds: (blockedUntil - now) / 1000,
      reason: 'too_many_failures',
    });
  }
}
