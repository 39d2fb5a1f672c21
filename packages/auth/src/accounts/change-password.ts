import { getUserById, updateUser } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { buildPublicLink } from '../mail/build-public-link';
import { passwordChangedMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { assertPasswordPolicy } from '../passwords/check-password-policy';
import { hashPassword, verifyPassword } from '../passwords/hash-password';
import { revokeAllSessions } from '../sessions';
import { confirmationFailedError } from '../two-factor/second-factor-errors';
import type { ChangePasswordInput } from './account-schemas';
import { recordAccountEvent } from './record-account-event';
import { toSessionActor } from './session-result';

/**
 * Changes the password of a signed-in user, who must give the current one (SECURITY.md 2).
 * Every other session ends; the client then offers to log out everywhere, this one included.
 */
export async function changePassword(
  options: {
    userId: string;
    /** The session making the request; it stays signed in. */
    sessionId: string;
    input: ChangePasswordInput;
    context?: AuditContext;
  },
  deps: AuthDeps,
): Promise<void> {
  const { input, context } = options;
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  const check = await verifyPassword(user.passwordHash, input.currentPassword);
  if (!check.valid) throw confirmationFailedError('currentPassword', 'invalid_password');
  assertPasswordPolicy(input.newPassword, { email: user.email, field: 'newPassword' });

  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await updateUser(tx, { userId: user.id, changes: { passwordHash } });
    await recordAccountEvent(tx, {
      userId: user.id,
      action: 'auth.password.changed',
      ...(context === undefined ? {} : { context }),
    });
  });
  await revokeAllSessions(
    {
      userId: user.id,
      except: options.sessionId,
      reason: 'password_changed',
      actor: toSessionActor(user.id, context),
    },
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
