import { and, count, eq, isNull, lt, or } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { recoveryCodes, totpCredentials, type TotpCredential } from '../schema';

export type { RecoveryCode, TotpCredential } from '../schema';

export async function getTotpCredential(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<TotpCredential | null> {
  if (!isUuid(params.userId)) return null;
  const [credential] = await db
    .select()
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, params.userId))
    .limit(1);
  return credential ?? null;
}

/**
 * Stores a not-yet-enabled secret, replacing an earlier pending one. Resolves null, changing
 * nothing, when the user already has an enabled credential.
 */
export async function upsertPendingTotpCredential(
  db: DatabaseExecutor,
  params: { userId: string; secretEncrypted: string },
): Promise<TotpCredential | null> {
  const [credential] = await db
    .insert(totpCredentials)
    .values({ userId: params.userId, secretEncrypted: params.secretEncrypted })
    .onConflictDoUpdate({
      target: totpCredentials.userId,
      set: { secretEncrypted: params.secretEncrypted, lastUsedStep: null, createdAt: new Date() },
      setWhere: isNull(totpCredentials.enabledAt),
    })
    .returning();
  return credential ?? null;
}

/** Enables a pending credential, recording the step of the code that confirmed it. */
export async function enableTotpCredential(
  db: DatabaseExecutor,
  params: { userId: string; step: number; now: Date },
): Promise<TotpCredential | null> {
  if (!isUuid(params.userId)) return null;
  const [credential] = await db
    .update(totpCredentials)
    .set({ enabledAt: params.now, lastUsedStep: params.step })
    .where(and(eq(totpCredentials.userId, params.userId), isNull(totpCredentials.enabledAt)))
    .returning();
  return credential ?? null;
}

/**
 * Records `step` as the last accepted time step if it is later than the one recorded; false when
 * a code of this step or a later one was already accepted (a replay), atomically.
 */
export async function recordTotpStep(
  db: DatabaseExecutor,
  params: { userId: string; step: number },
): Promise<boolean> {
  if (!isUuid(params.userId)) return false;
  const updated = await db
    .update(totpCredentials)
    .set({ lastUsedStep: params.step })
    .where(
      and(
        eq(totpCredentials.userId, params.userId),
        or(isNull(totpCredentials.lastUsedStep), lt(totpCredentials.lastUsedStep, params.step)),
      ),
    )
    .returning({ userId: totpCredentials.userId });
  return updated.length > 0;
}

/** Removes the user's TOTP credential and recovery codes. */
export async function deleteTwoFactorCredentials(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<void> {
  if (!isUuid(params.userId)) return;
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, params.userId));
  await db.delete(totpCredentials).where(eq(totpCredentials.userId, params.userId));
}

/** Replaces every recovery code of the user (used or not) with these hashes. */
export async function replaceRecoveryCodes(
  db: DatabaseExecutor,
  params: { userId: string; codeHashes: readonly string[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, params.userId));
    if (params.codeHashes.length === 0) return;
    await tx
      .insert(recoveryCodes)
      .values(params.codeHashes.map((codeHash) => ({ userId: params.userId, codeHash })));
  });
}

/** Spends the unused recovery code with this hash; false when there is none (wrong or used). */
export async function consumeRecoveryCode(
  db: DatabaseExecutor,
  params: { userId: string; codeHash: string; now: Date },
): Promise<boolean> {
  if (!isUuid(params.userId)) return false;
  const updated = await db
    .update(recoveryCodes)
    .set({ usedAt: params.now })
    .where(
      and(
        eq(recoveryCodes.userId, params.userId),
        eq(recoveryCodes.codeHash, params.codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return updated.length > 0;
}

export async function countUnusedRecoveryCodes(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<number> {
  if (!isUuid(params.userId)) return 0;
  const [row] = await db
    .select({ value: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, params.userId), isNull(recoveryCodes.usedAt)));
  return row?.value ?? 0;
}
