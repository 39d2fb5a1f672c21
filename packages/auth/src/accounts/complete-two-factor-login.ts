import { AppError } from '@switchyard/shared';
import {
  consumeAuthToken,
  getActiveAuthToken,
  getUserById,
  recordAuthTokenFailure,
} from '@switchyard/database';
import type { AuditContext } from '../access/audit-context';
import { getNow, type AuthDeps } from '../config';
import { hashToken } from '../crypto';
import { assertNotThrottled } from '../throttle/assert-not-throttled';
import { clearFailedAttempts } from '../throttle/clear-failed-attempts';
import { recordFailedAttempt } from '../throttle/record-failed-attempt';
import { secondFactorSubjects } from '../throttle/throttle-subjects';
import {
  secondFactorInvalidError,
  secondFactorRequiredError,
} from '../two-factor/second-factor-errors';
import { MAX_SECOND_FACTOR_ATTEMPTS, verifySecondFactor } from '../two-factor/verify-second-factor';
import type { CompleteTwoFactorLoginInput } from './account-schemas';
import { toPublicUser } from './public-user';
import { recordAccountEvent } from './record-account-event';
import { startSession, type AuthenticatedResult } from './session-result';

function expiredChallengeError(): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'The sign-in has expired. Log in again.',
    details: { reason: 'invalid_challenge' },
  });
}

/**
 * Second step of a login with TOTP: the challenge from `logIn` plus a code or recovery code.
 * Wrong codes count against the user (whatever challenge they came with) and the IP, with
 * progressive delays like passwords.
 */
export async function completeTwoFactorLogin(
  options: { input: CompleteTwoFactorLoginInput; context?: AuditContext },
  deps: AuthDeps,
): Promise<AuthenticatedResult> {
  const { input, context } = options;
  const now = getNow(deps);
  const challenge = await getActiveAuthToken(deps.db, {
    tokenHash: hashToken(input.challengeToken),
    purposes: ['two_factor_challenge'],
    now,
  });
  if (!challenge) throw expiredChallengeError();
  if (!input.code && !input.recoveryCode) throw secondFactorRequiredError();
  const throttle = secondFactorSubjects({ userId: challenge.userId, ip: context?.ip });
  await assertNotThrottled({ subjects: throttle }, deps);

  const method = await verifySecondFactor(
    { userId: challenge.userId, code: input.code, recoveryCode: input.recoveryCode },
    deps,
  );
  if (!method) {
    await recordFailedAttempt({ subjects: throttle }, deps);
    await recordAuthTokenFailure(deps.db, {
      tokenId: challenge.id,
      maxAttempts: MAX_SECOND_FACTOR_ATTEMPTS,
      now,
    });
    await recordAccountEvent(deps.db, {
      userId: challenge.userId,
      byUser: false,
      action: 'auth.login.failed',
      metadata: { method: 'password', reason: 'invalid_two_factor_code' },
      ...(context === undefined ? {} : { context }),
    });
    throw secondFactorInvalidError();
  }
  await clearFailedAttempts({ subjects: throttle }, deps);
  if (!(await consumeAuthToken(deps.db, { tokenId: challenge.id, now }))) {
    throw expiredChallengeError();
  }
  const user = await getUserById(deps.db, { userId: challenge.userId });
  if (!user) throw expiredChallengeError();

  const session = await startSession(
    { userId: user.id, method: 'password', twoFactorVerified: true, context },
    deps,
  );
  await recordAccountEvent(deps.db, {
    userId: user.id,
    action: 'auth.login.succeeded',
    metadata: { method: 'password', twoFactor: true, secondFactor: method },
    ...(context === undefined ? {} : { context }),
  });
  return { status: 'authenticated', user: toPublicUser(user), session };
}
