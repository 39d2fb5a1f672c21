import { AppError } from '@switchyard/shared';
import { getUserByEmail, normalizeEmail, updateUser } from '@switchyard/database';
import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { hashPassword, verifyPassword } from '../passwords/hash-password';
import { assertNotThrottled } from '../throttle/assert-not-throttled';
import { clearFailedAttempts } from '../throttle/clear-failed-attempts';
import { recordFailedAttempt } from '../throttle/record-failed-attempt';
import { passwordSubjects } from '../throttle/throttle-subjects';
import { isTwoFactorEnabled } from '../two-factor/verify-second-factor';
import type { LogInInput } from './account-schemas';
import { issueAuthToken } from './issue-auth-token';
import { toPublicUser } from './public-user';
import { recordAccountEvent } from './record-account-event';
import { startSession, type AuthenticatedResult } from './session-result';

export type LogInResult =
  | AuthenticatedResult
  | {
      status: 'two_factor_required';
      /** Single-use, short-lived; `completeTwoFactorLogin` takes it with the code. */
      challengeToken: string;
      expiresAt: Date;
    };

/** One answer for an unknown address and a wrong password alike. */
export function invalidCredentialsError(): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: 'The e-mail address or the password is not correct.',
    details: { reason: 'invalid_credentials' },
  });
}

/**
 * Password login. An unknown address costs the same argon2 verification as a wrong password
 * and gets the same error. With TOTP enabled the answer is a challenge for the second step;
 * otherwise a new session (SECURITY.md 9). Repeated failures for an address or from an IP are
 * answered 429 for a growing while without checking the password (SECURITY.md 1).
 */
export async function logIn(
  options: { input: LogInInput; context?: AuditContext },
  deps: AuthDeps,
): Promise<LogInResult> {
  const { context } = options;
  const email = normalizeEmail(options.input.email);
  const throttle = passwordSubjects({ email, ip: context?.ip });
  await assertNotThrottled({ subjects: throttle }, deps);
  const user = await getUserByEmail(deps.db, { email });
  const check = await verifyPassword(user?.passwordHash, options.input.password);
  if (!user || !check.valid) {
    await recordFailedAttempt({ subjects: throttle }, deps);
    await recordAccountEvent(deps.db, {
      userId: user?.id ?? null,
      byUser: false,
      action: 'auth.login.failed',
      metadata: { method: 'password', reason: 'invalid_credentials' },
      ...(context === undefined ? {} : { context }),
    });
    throw invalidCredentialsError();
  }
  await clearFailedAttempts({ subjects: throttle }, deps);
  if (check.needsRehash) {
    const passwordHash = await hashPassword(options.input.password);
    await updateUser(deps.db, { userId: user.id, changes: { passwordHash } });
  }
  if (!user.emailVerifiedAt) {
    // Only someone who knows the password gets this far, so it reveals nothing new. Unverified
    // accounts cannot sign in: an account pre-registered with someone else's address is inert.
    throw new AppError('FORBIDDEN', {
      message: 'Confirm your e-mail address first: follow the link we sent you.',
      details: { reason: 'email_not_verified' },
    });
  }
  if (await isTwoFactorEnabled(deps.db, { userId: user.id })) {
    const { token, expiresAt } = await issueAuthToken(
      { userId: user.id, purpose: 'two_factor_challenge' },
      deps,
    );
    return { status: 'two_factor_required', challengeToken: token, expiresAt };
  }
  const session = await startSession(
    { userId: user.id, method: 'password', twoFactorVerified: false, context },
    deps,
  );
  await recordAccountEvent(deps.db, {
    userId: user.id,
    action: 'auth.login.succeeded',
    metadata: { method: 'password', twoFactor: false },
    ...(context === undefined ? {} : { context }),
  });
  return { status: 'authenticated', user: toPublicUser(user), session };
}
