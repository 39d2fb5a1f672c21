import type { ApiKey } from '@switchyard/database';

/** What clients see of a key after creation: never the key or its hash. */
export type ApiKeyView = {
  id: string;
  orgId: string;
  name: string;
  /** The public, identifying part: the key starts with `sy_<prefix>_`. */
  prefix: string;
  scopes: string[];
  createdByUserId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export function toApiKeyView(apiKey: ApiKey): ApiKeyView {
  return {
    id: apiKey.id,
    orgId: apiKey.orgId,
    name: apiKey.name,
    prefix: apiKey.prefix,
    scopes: apiKey.scopes,
    createdByUserId: apiKey.createdByUserId,
    createdAt: apiKey.createdAt,
    lastUsedAt: apiKey.lastUsedAt,
    expiresAt: apiKey.expiresAt,
    revokedAt: apiKey.revokedAt,
  };
}
