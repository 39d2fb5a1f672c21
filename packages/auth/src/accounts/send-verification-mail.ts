import type { User } from '@switchyard/database';
import type { AuthDeps } from '../config';
import { buildPublicLink } from '../mail/build-public-link';
import { verifyEmailMail } from '../mail/mail-templates';
import { sendMail } from '../mail/send-mail';
import { issueAuthToken } from './issue-auth-token';

/** Issues a `verify_email` token for the user's current address and e-mails the link to it. */
export async function sendVerificationMail(
  user: Pick<User, 'id' | 'email' | 'name'>,
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  const { token } = await issueAuthToken(
    { userId: user.id, purpose: 'verify_email', data: { email: user.email } },
    deps,
  );
  await sendMail(
    {
      to: user.email,
      ...verifyEmailMail({
        name: user.name,
        link: buildPublicLink(deps.config.publicUrl, '/verify-email', { token }),
        ttlSeconds: deps.config.emailTokenTtlSeconds,
      }),
    },
    deps,
  );
}
