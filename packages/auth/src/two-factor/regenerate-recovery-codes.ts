import { replaceRecoveryCodes } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordAccountEvent } from '../accounts/record-account-event';
import type { AuthDeps } from '../config';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes';
import { isTwoFactorEnabled } from './verify-second-factor';

/** Ten new recovery codes, shown once; every earlier code (used or not) stops working. */
export async function regenerateRecoveryCodes(
  options: { userId: string; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<{ recoveryCodes: string[] }> {
  if (!(await isTwoFactorEnabled(deps.db, { userId: options.userId }))) {
    throw new AppError('CONFLICT', { message: 'Two-factor authentication is not enabled.' });
  }
  const recoveryCodes = generateRecoveryCodes();
  await deps.db.transaction(async (tx) => {
    await replaceRecoveryCodes(tx, {
      userId: options.userId,
      codeHashes: recoveryCodes.map(hashRecoveryCode),
    });
    await recordAccountEvent(tx, {
      userId: options.userId,
      action: 'auth.recovery_codes.regenerated',
      metadata: { count: recoveryCodes.length },
      ...(options.context === undefined ? {} : { context: options.context }),
    });
  });
  await invalidateProfiles({ userIds: [options.userId] }, deps);
  return { recoveryCodes };
}
