import type { AuthDeps, FailureDelaySettings } from '../config';
import { getNow } from '../config';
import { throttleKey } from './throttle-keys';
import { getThrottleSettings } from './throttle-settings';
import type { ThrottleSubject } from './throttle-subjects';

/**
 * One atomic step per subject, so concurrent failures all count: forget failures older than the
 * window, count this one, and past the free ones block until now + initial × 2^(extra − 1),
 * capped. The key expires when both the window and the block are over.
 * KEYS[1] the hash; ARGV now, windowMs, freeFailures, initialDelayMs, maxDelayMs.
 */
const RECORD_FAILURE_SCRIPT = `
local now = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local freeFailures = tonumber(ARGV[3])
local initialDelayMs = tonumber(ARGV[4])
local maxDelayMs = tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'failures', 'lastFailureAt')
local failures = tonumber(state[1]) or 0
local lastFailureAt = tonumber(state[2]) or 0
if now - lastFailureAt >= windowMs then failures = 0 end
failures = failures + 1
local blockedUntil = 0
if failures > freeFailures then
  local delay = initialDelayMs * 2 ^ math.min(failures - freeFailures - 1, 40)
  if delay > maxDelayMs then delay = maxDelayMs end
  blockedUntil = now + delay
end
redis.call('HSET', KEYS[1], 'failures', failures, 'lastFailureAt', now, 'blockedUntil', blockedUntil)
local ttl = windowMs
if blockedUntil - now > ttl then ttl = blockedUntil - now end
redis.call('PEXPIRE', KEYS[1], math.floor(ttl))
return { failures, blockedUntil }
`;

export type FailedAttempt = {
  subject: ThrottleSubject;
  /** Failures within the window, this one included. */
  failures: number;
  /** No attempt is checked before this time; null while failures are still free. */
  blockedUntil: Date | null;
};

/** Counts a failed attempt (wrong password or code) against every subject. */
export async function recordFailedAttempt(
  params: { subjects: ThrottleSubject[] },
  deps: Pick<AuthDeps, 'redis' | 'config' | 'now'>,
): Promise<FailedAttempt[]> {
  const settings = getThrottleSettings(deps.config);
  const now = getNow(deps).getTime();
  return Promise.all(
    params.subjects.map(async (subject) => {
      const policy: FailureDelaySettings = settings[subject.scope];
      const reply = await deps.redis.eval(
        RECORD_FAILURE_SCRIPT,
        1,
        throttleKey(subject),
        now,
        policy.windowSeconds * 1000,
        policy.freeFailures,
        policy.initialDelaySeconds * 1000,
        policy.maxDelaySeconds * 1000,
      );
      const [failures = 0, blockedUntil = 0] = Array.isArray(reply) ? reply.map(Number) : [];
      return {
        subject,
        failures,
        blockedUntil: blockedUntil > 0 ? new Date(blockedUntil) : null,
      };
    }),
  );
}
