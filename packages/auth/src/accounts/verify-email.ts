import {
  consumeAuthToken,
  deleteOAuthAccountsForUser,
  getActiveAuthToken,
  getUserById,
  isUniqueViolation,
  updateUser,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { getNow, type AuthDeps } from '../config';
import { hashToken } from '../crypto';
import { emailChangedMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { invalidTokenError } from './invalid-token-error';
import { invalidateProfiles } from './profile-cache';
import { toPublicUser, type PublicUser } from './public-user';
import { recordAccountEvent } from './record-account-event';

export type VerifyEmailResult = {
  /** `verify_email` confirmed the address of a new account; `change_email` applied a new one. */
  purpose: 'verify_email' | 'change_email';
  user: PublicUser;
};

/**
 * Redeems an e-mailed link (`/verify-email?token=`): confirms the account's address, or applies
 * a requested address change, which the link's arrival at the new address has just verified.
 * A token works once and only until it expires.
 */
export async function verifyEmail(
  options: { token: string; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log' | 'config' | 'now'>,
): Promise<VerifyEmailResult> {
  const now = getNow(deps);
  const token = await getActiveAuthToken(deps.db, {
    tokenHash: hashToken(options.token),
    purposes: ['verify_email', 'change_email'],
    now,
  });
  if (!token) throw invalidTokenError();
  const user = await getUserById(deps.db, { userId: token.userId });
  if (!user) throw invalidTokenError();

  if (token.purpose === 'verify_email') {
    // A link sent to an earlier address must not verify the current one.
    if (token.data.email !== user.email) throw invalidTokenError();
    if (!(await consumeAuthToken(deps.db, { tokenId: token.id, now }))) throw invalidTokenError();
    const verified = user.emailVerifiedAt
      ? user
      : await deps.db.transaction(async (tx) => {
          // Provider links made while the address was unproven may be a pre-registration.
          await deleteOAuthAccountsForUser(tx, { userId: user.id });
          return updateUser(tx, { userId: user.id, changes: { emailVerifiedAt: now } });
        });
    if (verified !== user) await invalidateProfiles({ userIds: [user.id] }, deps);
    return { purpose: 'verify_email', user: toPublicUser(verified ?? user) };
  }

  const newEmail = token.data.newEmail;
  if (typeof newEmail !== 'string') throw invalidTokenError();
  const updated = await deps.db.transaction(async (tx) => {
    if (!(await consumeAuthToken(tx, { tokenId: token.id, now }))) throw invalidTokenError();
    try {
      const changed = await updateUser(tx, {
        userId: user.id,
        changes: { email: newEmail, emailVerifiedAt: now },
      });
      if (!changed) throw invalidTokenError();
      await recordAccountEvent(tx, {
        userId: user.id,
        action: 'auth.email.changed',
        ...(options.context === undefined ? {} : { context: options.context }),
      });
      return changed;
    } catch (error) {
      if (!isUniqueViolation(error, 'users_email_lower_unique')) throw error;
      throw new AppError('CONFLICT', {
        message: 'Another account already uses that e-mail address.',
        cause: error,
      });
    }
  });
  await invalidateProfiles({ userIds: [user.id] }, deps);
  // The previous address learns of the change, in case it was not its owner who made it.
  await sendMail({ to: user.email, ...emailChangedMail({ name: user.name, newEmail }) }, deps);
  return { purpose: 'change_email', user: toPublicUser(updated) };
}
