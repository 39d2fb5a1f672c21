import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { authTokens, type AuthToken, type AuthTokenPurpose } from '../schema';

export type { AuthToken, AuthTokenPurpose } from '../schema';

export type CreateAuthTokenParams = {
  userId: string;
  purpose: AuthTokenPurpose;
  /** The hash of the token; the token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
  /** Purpose-specific, non-secret data (for example the new address of a `change_email`). */
  data?: Record<string, unknown>;
};

export async function createAuthToken(
  db: DatabaseExecutor,
  params: CreateAuthTokenParams,
): Promise<AuthToken> {
  const [token] = await db
    .insert(authTokens)
    .values({
      userId: params.userId,
      purpose: params.purpose,
      tokenHash: params.tokenHash,
      expiresAt: params.expiresAt,
      data: params.data ?? {},
    })
    .returning();
  if (!token) throw new Error('insert into auth_tokens returned no row');
  return token;
}

/** The token with this hash and one of `purposes` if it is unused and not expired at `now`. */
export async function getActiveAuthToken(
  db: DatabaseExecutor,
  params: { tokenHash: string; purposes: readonly AuthTokenPurpose[]; now: Date },
): Promise<AuthToken | null> {
  if (params.purposes.length === 0) return null;
  const [token] = await db
    .select()
    .from(authTokens)
    .where(
      and(
        eq(authTokens.tokenHash, params.tokenHash),
        inArray(authTokens.purpose, [...params.purposes]),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, params.now),
      ),
    )
    .limit(1);
  return token ?? null;
}

/**
 * Marks an active token used and returns it; null when it was already used or has expired, so
 * of two concurrent requests presenting the same token exactly one wins.
 */
export async function consumeAuthToken(
  db: DatabaseExecutor,
  params: { tokenId: string; now: Date },
): Promise<AuthToken | null> {
  if (!isUuid(params.tokenId)) return null;
  const [token] = await db
    .update(authTokens)
    .set({ usedAt: params.now })
    .where(
      and(
        eq(authTokens.id, params.tokenId),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, params.now),
      ),
    )
    .returning();
  return token ?? null;
}

/**
 * Counts a wrong code given with the token; at `maxAttempts` the token is spent, so it cannot be
 * used to guess a second factor. Resolves the attempts recorded so far (0 if the token is gone).
 */
export async function recordAuthTokenFailure(
  db: DatabaseExecutor,
  params: { tokenId: string; maxAttempts: number; now: Date },
): Promise<number> {
  if (!isUuid(params.tokenId)) return 0;
  const [token] = await db
    .update(authTokens)
    .set({
      attempts: sql`${authTokens.attempts} + 1`,
      usedAt: sql`case when ${authTokens.attempts} + 1 >= ${params.maxAttempts} then ${params.now.toISOString()}::timestamptz else ${authTokens.usedAt} end`,
    })
    .where(and(eq(authTokens.id, params.tokenId), isNull(authTokens.usedAt)))
    .returning({ attempts: authTokens.attempts });
  return token?.attempts ?? 0;
}

/** Spends every unused token of the user for `purpose` (a newer one supersedes them). */
export async function invalidateAuthTokens(
  db: DatabaseExecutor,
  params: { userId: string; purpose: AuthTokenPurpose; now: Date },
): Promise<number> {
  if (!isUuid(params.userId)) return 0;
  const result = await db
    .update(authTokens)
    .set({ usedAt: params.now })
    .where(
      and(
        eq(authTokens.userId, params.userId),
        eq(authTokens.purpose, params.purpose),
        isNull(authTokens.usedAt),
      ),
    );
  return result.rowCount ?? 0;
}
