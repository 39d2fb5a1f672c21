import {
  enableTotpCredential,
  getTotpCredential,
  replaceRecoveryCodes,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordAccountEvent } from '../accounts/record-account-event';
import { getNow, type AuthDeps } from '../config';
import { decryptSecret } from '../crypto';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes';
import { confirmationFailedError } from './second-factor-errors';
import { verifyTotpCode } from './totp';

/**
 * Confirms the pending secret with a code from the app, enables TOTP and returns ten recovery
 * codes. They are shown this once: only their hashes are stored.
 */
export async function enableTwoFactor(
  options: { userId: string; code: string; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log' | 'config' | 'now'>,
): Promise<{ recoveryCodes: string[] }> {
  const credential = await getTotpCredential(deps.db, { userId: options.userId });
  if (credential?.enabledAt) {
    throw new AppError('CONFLICT', { message: 'Two-factor authentication is already enabled.' });
  }
  if (!credential) {
    throw new AppError('CONFLICT', { message: 'Start the two-factor set-up first.' });
  }
  const now = getNow(deps);
  const step = await verifyTotpCode({
    secret: decryptSecret(credential.secretEncrypted, deps.config.authSecret),
    code: options.code,
    now,
  });
  if (step === null) throw confirmationFailedError('code', 'invalid_two_factor_code');

  const recoveryCodes = generateRecoveryCodes();
  await deps.db.transaction(async (tx) => {
    // The step of the confirming code is recorded: it cannot be replayed to log in.
    const enabled = await enableTotpCredential(tx, { userId: options.userId, step, now });
    if (!enabled) {
      throw new AppError('CONFLICT', { message: 'Two-factor authentication is already enabled.' });
    }
    await replaceRecoveryCodes(tx, {
      userId: options.userId,
      codeHashes: recoveryCodes.map(hashRecoveryCode),
    });
    await recordAccountEvent(tx, {
      userId: options.userId,
      action: 'auth.two_factor.enabled',
      metadata: { method: 'totp' },
      ...(options.context === undefined ? {} : { context: options.context }),
    });
  });
  await invalidateProfiles({ userIds: [options.userId] }, deps);
  return { recoveryCodes };
}
