import {
  consumeRecoveryCode,
  getTotpCredential,
  recordTotpStep,
  type DatabaseExecutor,
} from '@switchyard/database';
import { invalidateProfiles } from '../accounts/profile-cache';
import { getNow, type AuthDeps } from '../config';
import { decryptSecret } from '../crypto';
import { hashRecoveryCode } from './recovery-codes';
import { verifyTotpCode } from './totp';

export type SecondFactorMethod = 'totp' | 'recovery_code';

/**
 * Wrong codes a login challenge or a reset link survives; then it is spent and the user starts
 * over (the password or the e-mail again), which bounds guessing per token.
 */
export const MAX_SECOND_FACTOR_ATTEMPTS = 5;

/** Whether the user has a confirmed TOTP credential (a pending set-up does not count). */
export async function isTwoFactorEnabled(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<boolean> {
  const credential = await getTotpCredential(db, params);
  return Boolean(credential?.enabledAt);
}

/**
 * Checks an authenticator code or a recovery code and spends it: a TOTP code's time step is
 * recorded so it, or an earlier one, is refused next time; a recovery code is marked used.
 * Resolves the method that matched, or null (wrong, reused, or no second factor enabled).
 */
export async function verifySecondFactor(
  params: { userId: string; code?: string | undefined; recoveryCode?: string | undefined },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log' | 'config' | 'now'>,
): Promise<SecondFactorMethod | null> {
  const credential = await getTotpCredential(deps.db, { userId: params.userId });
  if (!credential?.enabledAt) return null;
  const now = getNow(deps);
  if (params.code) {
    const step = await verifyTotpCode({
      secret: decryptSecret(credential.secretEncrypted, deps.config.authSecret),
      code: params.code,
      now,
      afterStep: credential.lastUsedStep,
    });
    // The conditional update settles a race between two requests with the same code.
    if (step !== null && (await recordTotpStep(deps.db, { userId: params.userId, step }))) {
      return 'totp';
    }
    return null;
  }
  if (params.recoveryCode) {
    const consumed = await consumeRecoveryCode(deps.db, {
      userId: params.userId,
      codeHash: hashRecoveryCode(params.recoveryCode),
      now,
    });
    if (!consumed) return null;
    // The profile shows how many recovery codes are left.
    await invalidateProfiles({ userIds: [params.userId] }, deps);
    return 'recovery_code';
  }
  return null;
}
