import type { AuthDeps } from '../config';
import { throttleKey } from './throttle-keys';
import type { ThrottleSubject } from './throttle-subjects';

/**
 * After a success: forgets the failures of the account subjects. IP counters stay, or an
 * attacker could clear theirs by signing in to an account of their own between guesses.
 */
export async function clearFailedAttempts(
  params: { subjects: ThrottleSubject[] },
  deps: Pick<AuthDeps, 'redis'>,
): Promise<void> {
  const keys = params.subjects
    .filter((subject) => subject.scope === 'account')
    .map((subject) => throttleKey(subject));
  if (keys.length > 0) await deps.redis.del(...keys);
}
