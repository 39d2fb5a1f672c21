import { getUserById, normalizeEmail } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import { buildPublicLink } from '../mail/build-public-link';
import { confirmEmailChangeMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { issueAuthToken } from './issue-auth-token';

/**
 * Starts an address change (the route requires a recent re-authentication): a link goes to the
 * NEW address and the change is applied only when it is followed (`verifyEmail`), which proves
 * that address. Whether another account uses it is checked then, not revealed now.
 */
export async function requestEmailChange(
  options: { userId: string; newEmail: string },
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  const newEmail = normalizeEmail(options.newEmail);
  if (newEmail === user.email) {
    const message = 'That is already your e-mail address.';
    throw new AppError('VALIDATION_FAILED', {
      message,
      details: { errors: [{ path: 'newEmail', message }] },
    });
  }
  const { token } = await issueAuthToken(
    { userId: user.id, purpose: 'change_email', data: { newEmail } },
    deps,
  );
  await sendMail(
    {
      to: newEmail,
      ...confirmEmailChangeMail({
        name: user.name,
        newEmail,
        link: buildPublicLink(deps.config.publicUrl, '/verify-email', { token }),
        ttlSeconds: deps.config.emailTokenTtlSeconds,
      }),
    },
    deps,
  );
}
