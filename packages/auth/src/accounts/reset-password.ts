import {
  consumeAuthToken,
  deleteOAuthAccountsForUser,
  getActiveAuthToken,
  getUserById,
  recordAuthTokenFailure,
  updateUser,
} from '@switchyard/database';
import type { AuditContext } from '../access/audit-context';
import { getNow, type AuthDeps } from '../config';
import { hashToken } from '../crypto';
import { buildPublicLink } from '../mail/build-public-link';
import { passwordChangedMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { assertPasswordPolicy } from '../passwords/check-password-policy';
import { hashPassword } from '../passwords/hash-password';
import { revokeAllSessions } from '../sessions';
import { assertNotThrottled } from '../throttle/assert-not-throttled';
import { clearFailedAttempts } from '../throttle/clear-failed-attempts';
import { recordFailedAttempt } from '../throttle/record-failed-attempt';
import { secondFactorSubjects } from '../throttle/throttle-subjects';
import {
  secondFactorInvalidError,
  secondFactorRequiredError,
} from '../two-factor/second-factor-errors';
import {
  isTwoFactorEnabled,
  MAX_SECOND_FACTOR_ATTEMPTS,
  verifySecondFactor,
} from '../two-factor/verify-second-factor';
import type { ResetPasswordInput } from './account-schemas';
import { invalidTokenError } from './invalid-token-error';
import { recordAccountEvent } from './record-account-event';
import { toSessionActor } from './session-result';

/**
 * Sets a new password from an e-mailed reset link. A user with TOTP must also give a code or a
 * recovery code: the mailbox alone never bypasses the second factor (SECURITY.md 4). Without
 * one the token stays valid so the form can ask for it. Every session of the user ends.
 */
export async function resetPassword(
  options: { input: ResetPasswordInput; context?: AuditContext },
  deps: AuthDeps,
): Promise<void> {
  const { input, context } = options;
  const now = getNow(deps);
  const token = await getActiveAuthToken(deps.db, {
    tokenHash: hashToken(input.token),
    purposes: ['reset_password'],
    now,
  });
  if (!token) throw invalidTokenError();
  const user = await getUserById(deps.db, { userId: token.userId });
  if (!user) throw invalidTokenError();
  assertPasswordPolicy(input.password, { email: user.email });

  if (await isTwoFactorEnabled(deps.db, { userId: user.id })) {
    if (!input.code && !input.recoveryCode) throw secondFactorRequiredError();
    // The same counters as a login's second step: a reset link is no way around them.
    const throttle = secondFactorSubjects({ userId: user.id, ip: context?.ip });
    await assertNotThrottled({ subjects: throttle }, deps);
    const method = await verifySecondFactor(
      { userId: user.id, code: input.code, recoveryCode: input.recoveryCode },
      deps,
    );
    if (!method) {
      await recordFailedAttempt({ subjects: throttle }, deps);
      await recordAuthTokenFailure(deps.db, {
        tokenId: token.id,
        maxAttempts: MAX_SECOND_FACTOR_ATTEMPTS,
        now,
      });
      throw secondFactorInvalidError();
    }
    await clearFailedAttempts({ subjects: throttle }, deps);
  }

  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    if (!(await consumeAuthToken(tx, { tokenId: token.id, now }))) throw invalidTokenError();
    // The link reached the mailbox, so the address is proven too. An identity-provider link made
    // while it was unproven goes: it may belong to whoever pre-registered this address.
    if (!user.emailVerifiedAt) await deleteOAuthAccountsForUser(tx, { userId: user.id });
    await updateUser(tx, {
      userId: user.id,
      changes: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now },
    });
    await recordAccountEvent(tx, {
      userId: user.id,
      action: 'auth.password.reset',
      ...(context === undefined ? {} : { context }),
    });
  });
  await revokeAllSessions(
    { userId: user.id, reason: 'password_reset', actor: toSessionActor(user.id, context) },
    deps,
  );
  await sendMail(
    {
      to: user.email,
      ...passwordChangedMail({
        name: user.name,
        resetLink: buildPublicLink(deps.config.publicUrl, '/forgot-password'),
      }),
    },
    deps,
  );
}
