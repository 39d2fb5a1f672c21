import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  createApiKey,
  getApiKey,
  getApiKeyByPrefix,
  getApiKeyOrgId,
  listApiKeys,
  revokeApiKey,
  touchApiKeyLastUsed,
} from './api-keys';
import { createOrganization } from './organizations';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

let counter = 0;
const now = new Date('2030-01-01T00:00:00.000Z');

async function setup() {
  counter += 1;
  const org = await createOrganization(database.db, { name: 'Org', slug: `key-${counter}` });
  const other = await createOrganization(database.db, { name: 'Other', slug: `key-o-${counter}` });
  const apiKey = await createApiKey(database.db, {
    orgId: org.id,
    createdByUserId: null,
    name: 'CI',
    prefix: `pfx${String(counter).padStart(5, '0')}`,
    keyHash: `hash-${counter}`,
    scopes: ['run:read'],
    expiresAt: null,
  });
  return { org, other, apiKey };
}

describe('api keys queries', () => {
  it('finds a key by prefix, and by id only within its org', async () => {
    const { org, other, apiKey } = await setup();

    expect(await getApiKeyByPrefix(database.db, { prefix: apiKey.prefix })).toEqual(apiKey);
    expect(await getApiKey(database.db, { orgId: org.id, keyId: apiKey.id })).toEqual(apiKey);
    expect(await getApiKey(database.db, { orgId: other.id, keyId: apiKey.id })).toBeNull();
    expect(await getApiKeyOrgId(database.db, { keyId: apiKey.id })).toBe(org.id);
    expect(await getApiKeyOrgId(database.db, { keyId: 'not-a-uuid' })).toBeNull();
  });

  it('refuses a duplicate prefix', async () => {
    const { org, apiKey } = await setup();

    await expect(
      createApiKey(database.db, { ...apiKey, orgId: org.id, keyHash: 'other', expiresAt: null }),
    ).rejects.toSatisfy((error) => isUniqueViolation(error, 'api_keys_prefix_unique'));
  });

  it('revokes only within its own org and lists revoked keys only when asked', async () => {
    const { org, other, apiKey } = await setup();

    expect(await revokeApiKey(database.db, { orgId: other.id, keyId: apiKey.id, now })).toBeNull();
    expect(await listApiKeys(database.db, { orgId: org.id })).toHaveLength(1);
    const revoked = await revokeApiKey(database.db, { orgId: org.id, keyId: apiKey.id, now });
    expect(revoked?.revokedAt).toEqual(now);
    expect(await revokeApiKey(database.db, { orgId: org.id, keyId: apiKey.id, now })).toBeNull();
    expect(await listApiKeys(database.db, { orgId: org.id })).toEqual([]);
    expect(await listApiKeys(database.db, { orgId: org.id, includeRevoked: true })).toHaveLength(1);
  });

  it('records a use only when the last one is older than the cut-off', async () => {
    const { org, apiKey } = await setup();
    const minuteLater = new Date(now.getTime() + 60_000);

    expect(await touchApiKeyLastUsed(database.db, { keyId: apiKey.id, now, notBefore: now })).toBe(
      true,
    );
    expect(
      await touchApiKeyLastUsed(database.db, {
        keyId: apiKey.id,
        now: new Date(now.getTime() + 1_000),
        notBefore: now,
      }),
    ).toBe(false);
    expect(
      await touchApiKeyLastUsed(database.db, {
        keyId: apiKey.id,
        now: minuteLater,
        notBefore: new Date(now.getTime() + 1),
      }),
    ).toBe(true);
    expect((await getApiKey(database.db, { orgId: org.id, keyId: apiKey.id }))?.lastUsedAt).toEqual(
      minuteLater,
    );
  });
});
