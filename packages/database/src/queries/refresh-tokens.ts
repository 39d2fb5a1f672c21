import { and, eq, isNull } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { refreshTokens, type RefreshToken } from '../schema';

export type { RefreshToken };

export async function insertRefreshToken(
  db: DatabaseExecutor,
  params: { sessionId: string; tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<RefreshToken> {
  const [token] = await db
    .insert(refreshTokens)
    .values({
      sessionId: params.sessionId,
      tokenHash: params.tokenHash,
      createdAt: params.createdAt,
      expiresAt: params.expiresAt,
    })
    .returning();
  if (!token) throw new Error('insert into refresh_tokens returned no row');
  return token;
}

/**
 * Marks the token with this hash used, atomically: of two concurrent exchanges of one token
 * exactly one gets the row. Resolves null when no unused token has this hash.
 */
export async function markRefreshTokenUsed(
  db: DatabaseExecutor,
  params: { tokenHash: string; usedAt: Date },
): Promise<RefreshToken | null> {
  const [token] = await db
    .update(refreshTokens)
    .set({ usedAt: params.usedAt })
    .where(and(eq(refreshTokens.tokenHash, params.tokenHash), isNull(refreshTokens.usedAt)))
    .returning();
  return token ?? null;
}

export async function getRefreshTokenByHash(
  db: DatabaseExecutor,
  params: { tokenHash: string },
): Promise<RefreshToken | null> {
  const [token] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, params.tokenHash))
    .limit(1);
  return token ?? null;
}

/** A session's refresh tokens, oldest first. */
export async function listRefreshTokensBySessionId(
  db: DatabaseExecutor,
  params: { sessionId: string },
): Promise<RefreshToken[]> {
  if (!isUuid(params.sessionId)) return [];
  return db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.sessionId, params.sessionId))
    .orderBy(refreshTokens.createdAt);
}
