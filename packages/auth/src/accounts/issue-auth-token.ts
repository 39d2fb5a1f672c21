import { createAuthToken, invalidateAuthTokens, type AuthTokenPurpose } from '@switchyard/database';
import { getNow, type AuthDeps } from '../config';
import { generateSecretToken, hashToken } from '../crypto';

/**
 * A new single-use token for `purpose` (256 bits, stored hashed) that expires after
 * `emailTokenTtlSeconds` (≤ 10 minutes, SECURITY.md 6). Earlier unused tokens of the same user
 * and purpose stop working: only the latest link does.
 */
export async function issueAuthToken(
  params: { userId: string; purpose: AuthTokenPurpose; data?: Record<string, unknown> },
  deps: Pick<AuthDeps, 'db' | 'config' | 'now'>,
): Promise<{ token: string; expiresAt: Date }> {
  const now = getNow(deps);
  const token = generateSecretToken();
  const expiresAt = new Date(now.getTime() + deps.config.emailTokenTtlSeconds * 1000);
  await deps.db.transaction(async (tx) => {
    await invalidateAuthTokens(tx, { userId: params.userId, purpose: params.purpose, now });
    await createAuthToken(tx, {
      userId: params.userId,
      purpose: params.purpose,
      tokenHash: hashToken(token),
      expiresAt,
      ...(params.data === undefined ? {} : { data: params.data }),
    });
  });
  return { token, expiresAt };
}
