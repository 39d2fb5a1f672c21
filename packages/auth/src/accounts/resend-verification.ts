import { getUserByEmail, normalizeEmail } from '@switchyard/database';
import type { AuthDeps } from '../config';
import { sendVerificationMail } from './send-verification-mail';

/**
 * E-mails a new verification link if the address belongs to an unverified account. The caller
 * answers 202 in every case, so the endpoint does not reveal which addresses have accounts.
 */
export async function resendVerification(
  options: { email: string },
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  const user = await getUserByEmail(deps.db, { email: normalizeEmail(options.email) });
  if (!user || user.emailVerifiedAt) return;
  await sendVerificationMail(user, deps);
}
