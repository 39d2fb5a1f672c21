import { getUserById } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { verifyPassword } from '../passwords/hash-password';
import { revokeSession } from '../sessions';
import { assertNotThrottled } from '../throttle/assert-not-throttled';
import { clearFailedAttempts } from '../throttle/clear-failed-attempts';
import { recordFailedAttempt } from '../throttle/record-failed-attempt';
import { passwordSubjects, secondFactorSubjects } from '../throttle/throttle-subjects';
import { confirmationFailedError } from '../two-factor/second-factor-errors';
import { isTwoFactorEnabled, verifySecondFactor } from '../two-factor/verify-second-factor';
import type { ReauthenticateInput } from './account-schemas';
import { toPublicUser } from './public-user';
import { recordAccountEvent } from './record-account-event';
import { startSession, toSessionActor, type AuthenticatedResult } from './session-result';

/**
 * Proves the user again before a sensitive action: password, plus a second factor when TOTP is
 * enabled. Answers a NEW session with a fresh `authenticatedAt` and ends the old one
 * (SECURITY.md 9, 13). Failures share the login's counters: a stolen session is no faster
 * way to guess the password or the code.
 */
export async function reauthenticate(
  options: {
    userId: string;
    sessionId: string;
    input: ReauthenticateInput;
    context?: AuditContext;
  },
  deps: AuthDeps,
): Promise<AuthenticatedResult> {
  const { input, context } = options;
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  const passwordThrottle = passwordSubjects({ email: user.email, ip: context?.ip });
  await assertNotThrottled({ subjects: passwordThrottle }, deps);
  const check = await verifyPassword(user.passwordHash, input.password);
  if (!check.valid) {
    await recordFailedAttempt({ subjects: passwordThrottle }, deps);
    await recordAccountEvent(deps.db, {
      userId: user.id,
      action: 'auth.login.failed',
      metadata: { method: 'reauthentication', reason: 'invalid_credentials' },
      ...(context === undefined ? {} : { context }),
    });
    throw confirmationFailedError('password', 'invalid_password');
  }
  await clearFailedAttempts({ subjects: passwordThrottle }, deps);
  const twoFactor = await isTwoFactorEnabled(deps.db, { userId: user.id });
  if (twoFactor) {
    if (!input.code && !input.recoveryCode) {
      throw confirmationFailedError('code', 'two_factor_required');
    }
    const codeThrottle = secondFactorSubjects({ userId: user.id, ip: context?.ip });
    await assertNotThrottled({ subjects: codeThrottle }, deps);
    const method = await verifySecondFactor(
      { userId: user.id, code: input.code, recoveryCode: input.recoveryCode },
      deps,
    );
    if (!method) {
      await recordFailedAttempt({ subjects: codeThrottle }, deps);
      throw confirmationFailedError('code', 'invalid_two_factor_code');
    }
    await clearFailedAttempts({ subjects: codeThrottle }, deps);
  }

  const session = await startSession(
    { userId: user.id, method: 'password', twoFactorVerified: twoFactor, context },
    deps,
  );
  await revokeSession(
    {
      sessionId: options.sessionId,
      userId: user.id,
      reason: 'reauthenticated',
      actor: toSessionActor(user.id, context),
    },
    deps,
  );
  await recordAccountEvent(deps.db, {
    userId: user.id,
    action: 'auth.login.succeeded',
    metadata: { method: 'reauthentication', twoFactor },
    ...(context === undefined ? {} : { context }),
  });
  return { status: 'authenticated', user: toPublicUser(user), session };
}
