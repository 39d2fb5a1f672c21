import { getApiKeyByPrefix, touchApiKeyLastUsed } from '@switchyard/database';
import { isApiKeyScope, type Permission } from '../access/permissions';
import { getNow, type AuthDeps } from '../config';
import { hashToken, safeEqual } from '../crypto';
import { parseApiKey } from './api-key-format';

export type ApiKeyIdentity = { apiKeyId: string; orgId: string; scopes: Permission[] };

/** `lastUsedAt` is written at most this often per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a presented API key (`sy_<prefix>_<secret>`) to its org and scopes, or null when it is
 * malformed, unknown, wrong, revoked or expired. The stored hash is compared in constant time.
 * Scopes a key can never hold are dropped even if a stored row carries them.
 */
export async function authenticateApiKey(
  key: string,
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<ApiKeyIdentity | null> {
  const parsed = parseApiKey(key);
  if (!parsed) return null;
  const row = await getApiKeyByPrefix(deps.db, { prefix: parsed.prefix });
  if (!row || !safeEqual(hashToken(key), row.keyHash)) return null;
  const now = getNow(deps);
  if (row.revokedAt) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await touchApiKeyLastUsed(deps.db, {
      keyId: row.id,
      now,
      notBefore: new Date(now.getTime() - LAST_USED_RESOLUTION_MS + 1),
    });
  }
  return { apiKeyId: row.id, orgId: row.orgId, scopes: row.scopes.filter(isApiKeyScope) };
}
