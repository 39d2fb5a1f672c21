import { toDataURL } from 'qrcode';
import { getTotpCredential, getUserById, upsertPendingTotpCredential } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import { encryptSecret } from '../crypto';
import { buildOtpauthUrl, generateTotpSecret } from './totp';

export type TwoFactorSetup = {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUrl: string;
  /** PNG data URL of the QR code of `otpauthUrl`. */
  qrCodeDataUrl: string;
};

/**
 * Starts TOTP enrolment: a new secret, stored encrypted and pending until `enableTwoFactor`
 * confirms a code from it. Starting again replaces a pending secret.
 */
export async function setUpTwoFactor(
  options: { userId: string },
  deps: Pick<AuthDeps, 'db' | 'config'>,
): Promise<TwoFactorSetup> {
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  const alreadyEnabled = () =>
    new AppError('CONFLICT', { message: 'Two-factor authentication is already enabled.' });
  const existing = await getTotpCredential(deps.db, { userId: user.id });
  if (existing?.enabledAt) throw alreadyEnabled();

  const secret = generateTotpSecret();
  const stored = await upsertPendingTotpCredential(deps.db, {
    userId: user.id,
    secretEncrypted: encryptSecret(secret, deps.config.authSecret),
  });
  if (!stored) throw alreadyEnabled();

  const otpauthUrl = buildOtpauthUrl({ secret, accountName: user.email });
  const qrCodeDataUrl = await toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl, qrCodeDataUrl };
}
