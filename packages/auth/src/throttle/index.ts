export { assertNotThrottled } from './assert-not-throttled';
export { clearFailedAttempts } from './clear-failed-attempts';
export { rateLimitedError } from './rate-limited-error';
export { recordFailedAttempt, type FailedAttempt } from './record-failed-attempt';
export { throttleKey } from './throttle-keys';
export { DEFAULT_THROTTLE_SETTINGS, getThrottleSettings } from './throttle-settings';
export {
  passwordSubjects,
  secondFactorSubjects,
  toThrottleIp,
  type ThrottleSubject,
} from './throttle-subjects';
