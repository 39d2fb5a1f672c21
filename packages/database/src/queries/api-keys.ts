import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { apiKeys, type ApiKey } from '../schema';

export type { ApiKey } from '../schema';

export type CreateApiKeyParams = {
  orgId: string;
  createdByUserId: string | null;
  name: string;
  /** Public part of the key; a duplicate fails on `api_keys_prefix_unique`. */
  prefix: string;
  /** `hashToken` of the whole key; the key itself is never stored. */
  keyHash: string;
  scopes: string[];
  expiresAt: Date | null;
};

export async function createApiKey(
  db: DatabaseExecutor,
  params: CreateApiKeyParams,
): Promise<ApiKey> {
  const [apiKey] = await db
    .insert(apiKeys)
    .values({
      orgId: params.orgId,
      createdByUserId: params.createdByUserId,
      name: params.name,
      prefix: params.prefix,
      keyHash: params.keyHash,
      scopes: params.scopes,
      expiresAt: params.expiresAt,
    })
    .returning();
  if (!apiKey) throw new Error('insert into api_keys returned no row');
  return apiKey;
}

/**
 * The key with this public prefix, whatever its state. Not scoped by org: this is how a presented
 * key is found before its secret is checked.
 */
export async function getApiKeyByPrefix(
  db: DatabaseExecutor,
  params: { prefix: string },
): Promise<ApiKey | null> {
  const [apiKey] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.prefix, params.prefix))
    .limit(1);
  return apiKey ?? null;
}

/**
 * Only the org a key belongs to, for routes addressed by key id alone; the caller must then check
 * the actor's access to that org and answer 404 when it has none.
 */
export async function getApiKeyOrgId(
  db: DatabaseExecutor,
  params: { keyId: string },
): Promise<string | null> {
  if (!isUuid(params.keyId)) return null;
  const [row] = await db
    .select({ orgId: apiKeys.orgId })
    .from(apiKeys)
    .where(eq(apiKeys.id, params.keyId))
    .limit(1);
  return row?.orgId ?? null;
}

export async function getApiKey(
  db: DatabaseExecutor,
  params: { orgId: string; keyId: string },
): Promise<ApiKey | null> {
  if (!isUuid(params.orgId) || !isUuid(params.keyId)) return null;
  const [apiKey] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, params.orgId), eq(apiKeys.id, params.keyId)))
    .limit(1);
  return apiKey ?? null;
}

/** The org's keys, newest first; revoked ones only when asked. */
export async function listApiKeys(
  db: DatabaseExecutor,
  params: { orgId: string; includeRevoked?: boolean; limit?: number },
): Promise<ApiKey[]> {
  if (!isUuid(params.orgId)) return [];
  const conditions = [eq(apiKeys.orgId, params.orgId)];
  if (!params.includeRevoked) conditions.push(isNull(apiKeys.revokedAt));
  return db
    .select()
    .from(apiKeys)
    .where(and(...conditions))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(Math.min(Math.max(Math.trunc(params.limit ?? 200), 1), 1_000));
}

/** Revokes a key of the org that is not revoked yet; null when there is no such key. */
export async function revokeApiKey(
  db: DatabaseExecutor,
  params: { orgId: string; keyId: string; now: Date },
): Promise<ApiKey | null> {
  if (!isUuid(params.orgId) || !isUuid(params.keyId)) return null;
  const [apiKey] = await db
    .update(apiKeys)
    .set({ revokedAt: params.now })
    .where(
      and(eq(apiKeys.orgId, params.orgId), eq(apiKeys.id, params.keyId), isNull(apiKeys.revokedAt)),
    )
    .returning();
  return apiKey ?? null;
}

/**
 * Records a use of the key unless one was recorded after `notBefore`, so a busy key costs one
 * write a minute rather than one per request. Resolves whether it wrote.
 */
export async function touchApiKeyLastUsed(
  db: DatabaseExecutor,
  params: { keyId: string; now: Date; notBefore: Date },
): Promise<boolean> {
  if (!isUuid(params.keyId)) return false;
  const updated = await db
    .update(apiKeys)
    .set({ lastUsedAt: params.now })
    .where(
      and(
        eq(apiKeys.id, params.keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, params.notBefore)),
      ),
    )
    .returning({ id: apiKeys.id });
  return updated.length > 0;
}
