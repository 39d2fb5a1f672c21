import type { AuthConfig, ThrottleSettings } from '../config';

/**
 * Per account: five free failures, then 1 s, 2 s, 4 s … between attempts, capped at 15 minutes,
 * and an hour without a failure forgets them. Per IP address (one attacker trying many accounts,
 * but also an office behind one NAT): fifty free failures, forgotten after 15 quiet minutes.
 * Only delays, never a lockout: every counter expires (SECURITY.md 1).
 */
export const DEFAULT_THROTTLE_SETTINGS: ThrottleSettings = {
  account: { freeFailures: 5, initialDelaySeconds: 1, maxDelaySeconds: 900, windowSeconds: 3600 },
  ip: { freeFailures: 50, initialDelaySeconds: 1, maxDelaySeconds: 900, windowSeconds: 900 },
};

/** The deployment's settings, or the defaults. */
export function getThrottleSettings(config: Pick<AuthConfig, 'throttle'>): ThrottleSettings {
  return config.throttle ?? DEFAULT_THROTTLE_SETTINGS;
}
