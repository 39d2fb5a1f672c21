import { getUserByEmail, normalizeEmail } from '@switchyard/database';
import type { AuthDeps } from '../config';
import { buildPublicLink } from '../mail/build-public-link';
import { resetPasswordMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { issueAuthToken } from './issue-auth-token';

/**
 * E-mails a single-use reset link (valid for `emailTokenTtlSeconds`) if the address has an
 * account. The caller answers 202 in every case.
 */
export async function requestPasswordReset(
  options: { email: string },
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  const user = await getUserByEmail(deps.db, { email: normalizeEmail(options.email) });
  if (!user) return;
  const { token } = await issueAuthToken({ userId: user.id, purpose: 'reset_password' }, deps);
  await sendMail(
    {
      to: user.email,
      ...resetPasswordMail({
        name: user.name,
        link: buildPublicLink(deps.config.publicUrl, '/reset-password', { token }),
        ttlSeconds: deps.config.emailTokenTtlSeconds,
      }),
    },
    deps,
  );
}
