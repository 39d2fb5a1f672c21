import { deleteTwoFactorCredentials } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { recordAccountEvent } from '../accounts/record-account-event';
import { toSessionActor } from '../accounts/session-result';
import type { AuthDeps } from '../config';
import { revokeAllSessions } from '../sessions';
import { confirmationFailedError } from './second-factor-errors';
import { isTwoFactorEnabled, verifySecondFactor } from './verify-second-factor';

/**
 * Turns TOTP off after a fresh code (or a recovery code), deletes the secret and the recovery
 * codes, and ends the user's other sessions: a credential change (SECURITY.md 11, 12).
 */
export async function disableTwoFactor(
  options: {
    userId: string;
    /** The session making the request; it stays signed in. */
    sessionId: string;
    code?: string | undefined;
    recoveryCode?: string | undefined;
    context?: AuditContext;
  },
  deps: AuthDeps,
): Promise<void> {
  if (!(await isTwoFactorEnabled(deps.db, { userId: options.userId }))) {
    throw new AppError('CONFLICT', { message: 'Two-factor authentication is not enabled.' });
  }
  if (!options.code && !options.recoveryCode) {
    throw confirmationFailedError('code', 'two_factor_required');
  }
  const method = await verifySecondFactor(options, deps);
  if (!method) throw confirmationFailedError('code', 'invalid_two_factor_code');

  await deps.db.transaction(async (tx) => {
    await deleteTwoFactorCredentials(tx, { userId: options.userId });
    await recordAccountEvent(tx, {
      userId: options.userId,
      action: 'auth.two_factor.disabled',
      metadata: { confirmedWith: method },
      ...(options.context === undefined ? {} : { context: options.context }),
    });
  });
  await revokeAllSessions(
    {
      userId: options.userId,
      except: options.sessionId,
      reason: 'two_factor_disabled',
      actor: toSessionActor(options.userId, options.context),
    },
    deps,
  );
}
