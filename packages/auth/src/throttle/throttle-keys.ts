import type { ThrottleSubject } from './throttle-subjects';

/** The Redis hash of a subject: `failures`, `lastFailureAt` and `blockedUntil` (epoch ms). */
export function throttleKey(subject: ThrottleSubject): string {
  return `throttle:${subject.key}`;
}
