import { eq } from 'drizzle-orm';
import { getApiKey, listAuditEvents, schema, type Database } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixtures } from '../access/test-fixtures';
import { hashToken } from '../crypto';
import { createTestClock } from '../testing';
import { parseApiKey } from './api-key-format';
import { createApiKeySchema } from './api-key-schemas';
import { authenticateApiKey } from './authenticate-api-key';
import { createApiKey } from './create-api-key';
import { listApiKeys } from './list-api-keys';
import { revokeApiKey } from './revoke-api-key';
import { revokeApiKeyById } from './revoke-api-key-by-id';

let database: TestDatabase;
let fx: ReturnType<typeof createOrgFixtures>;
const clock = createTestClock(new Date('2030-01-01T00:00:00.000Z'));
let deps: { db: Database; now: () => Date };

beforeAll(async () => {
  database = await createTestDatabase();
  fx = createOrgFixtures(database.db);
  deps = { db: database.db, now: clock.now };
});
afterAll(async () => {
  await database.drop();
});

async function newKey(scopes: Array<'run:read' | 'run:create' | 'agent:read'> = ['run:read']) {
  const t = await fx.team();
  const created = await createApiKey(
    { actor: t.admin.actor, orgId: t.org.id, input: { name: 'CI', scopes } },
    deps,
  );
  return { t, ...created };
}

describe('createApiKey', () => {
  it('returns the key once, identifiable by its prefix, and stores only its hash', async () => {
    const { t, apiKey, key } = await newKey(['run:read', 'run:create']);

    expect(key).toMatch(/^sy_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)?.prefix).toBe(apiKey.prefix);
    expect(key.startsWith(`sy_${apiKey.prefix}_`)).toBe(true);
    expect(apiKey).toMatchObject({
      orgId: t.org.id,
      name: 'CI',
      scopes: ['run:read', 'run:create'],
    });
    expect(JSON.stringify(apiKey)).not.toContain(key);
    const [row] = await database.db
      .select()
      .from(schema.apiKeys)
      .where(eq(schema.apiKeys.id, apiKey.id));
    expect(row?.keyHash).toBe(hashToken(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    const listed = await listApiKeys({ actor: t.owner.actor, orgId: t.org.id }, deps);
    expect(JSON.stringify(listed)).not.toContain(key.slice(12));
    expect(listed.map((entry) => entry.id)).toEqual([apiKey.id]);
  });

  it('refuses members and viewers', async () => {
    const t = await fx.team();

    for (const actor of [t.member.actor, t.viewer.actor]) {
      await expect(
        createApiKey({ actor, orgId: t.org.id, input: { name: 'x', scopes: ['run:read'] } }, deps),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('refuses a scope its creator does not hold on the whole org', async () => {
    const t = await fx.team();

    await expect(
      createApiKey(
        { actor: t.admin.actor, orgId: t.org.id, input: { name: 'x', scopes: ['billing:manage'] } },
        deps,
      ),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'scope_not_grantable', scopes: ['billing:manage'] },
    });
    await expect(
      createApiKey(
        { actor: t.owner.actor, orgId: t.org.id, input: { name: 'x', scopes: ['billing:manage'] } },
        deps,
      ),
    ).resolves.toMatchObject({ apiKey: { scopes: ['billing:manage'] } });
  });

  it('never accepts member, api key, transfer, delete or org update scopes', () => {
    for (const scope of [
      'member:read',
      'member:invite',
      'member:remove',
      'api_key:create',
      'api_key:read',
      'org:transfer',
      'org:delete',
      'org:update',
      'admin',
    ]) {
      const parsed = createApiKeySchema.safeParse({ name: 'x', scopes: [scope] });
      expect(parsed.success, scope).toBe(false);
    }
    expect(createApiKeySchema.safeParse({ name: 'x', scopes: ['run:read'] }).success).toBe(true);
  });

  it('refuses an expiry in the past', async () => {
    const t = await fx.team();

    await expect(
      createApiKey(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          input: { name: 'x', scopes: ['run:read'], expiresAt: '2029-12-31T00:00:00Z' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('authenticateApiKey', () => {
  it('resolves a valid key to its org and scopes', async () => {
    const { t, apiKey, key } = await newKey(['run:read', 'agent:read']);

    await expect(authenticateApiKey(key, deps)).resolves.toEqual({
      apiKeyId: apiKey.id,
      orgId: t.org.id,
      scopes: ['run:read', 'agent:read'],
    });
  });

  it('refuses a wrong secret with a real prefix, and malformed keys', async () => {
    const { key } = await newKey();
    const last = key.at(-1) === 'A' ? 'B' : 'A';

    expect(await authenticateApiKey(`${key.slice(0, -1)}${last}`, deps)).toBeNull();
    expect(await authenticateApiKey(key.slice(0, -1), deps)).toBeNull();
    expect(await authenticateApiKey(`${key}x`, deps)).toBeNull();
    expect(await authenticateApiKey('sy_', deps)).toBeNull();
    expect(await authenticateApiKey('', deps)).toBeNull();
  });

  it('refuses a key from the moment it is revoked', async () => {
    const { t, apiKey, key } = await newKey();
    expect(await authenticateApiKey(key, deps)).not.toBeNull();

    await revokeApiKey({ actor: t.admin.actor, orgId: t.org.id, keyId: apiKey.id }, deps);

    expect(await authenticateApiKey(key, deps)).toBeNull();
    const listed = await listApiKeys({ actor: t.admin.actor, orgId: t.org.id }, deps);
    expect(listed).toEqual([]);
    const all = await listApiKeys(
      { actor: t.admin.actor, orgId: t.org.id, includeRevoked: true },
      deps,
    );
    expect(all[0]?.revokedAt).toEqual(clock.now());
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({ action: 'api_key.revoked', targetId: apiKey.id });
  });

  it('refuses a key once it has expired', async () => {
    const t = await fx.team();
    const { key } = await createApiKey(
      {
        actor: t.admin.actor,
        orgId: t.org.id,
        input: {
          name: 'short',
          scopes: ['run:read'],
          expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
        },
      },
      deps,
    );
    expect(await authenticateApiKey(key, deps)).not.toBeNull();

    clock.advance(60);
    try {
      expect(await authenticateApiKey(key, deps)).toBeNull();
    } finally {
      clock.advance(-60);
    }
  });

  it('records lastUsedAt, at most once a minute', async () => {
    const { t, apiKey, key } = await newKey();
    const lastUsed = async () =>
      (await getApiKey(database.db, { orgId: t.org.id, keyId: apiKey.id }))?.lastUsedAt ?? null;
    expect(await lastUsed()).toBeNull();
    const start = clock.now();

    try {
      await authenticateApiKey(key, deps);
      expect(await lastUsed()).toEqual(start);
      clock.advance(30);
      await authenticateApiKey(key, deps);
      expect(await lastUsed()).toEqual(start);
      clock.advance(30);
      await authenticateApiKey(key, deps);
      expect(await lastUsed()).toEqual(clock.now());
    } finally {
      clock.set(start);
    }
  });

  it('drops scopes a key can never hold even if a stored row carries them', async () => {
    const { apiKey, key } = await newKey();
    await database.db
      .update(schema.apiKeys)
      .set({ scopes: ['run:read', 'member:read', 'api_key:create', 'org:transfer'] })
      .where(eq(schema.apiKeys.id, apiKey.id));

    expect((await authenticateApiKey(key, deps))?.scopes).toEqual(['run:read']);
  });
});

describe('revokeApiKey / revokeApiKeyById', () => {
  it("answers 404 for another org's key and leaves it working", async () => {
    const { apiKey, key } = await newKey();
    const other = await fx.team();

    await expect(
      revokeApiKey({ actor: other.owner.actor, orgId: other.org.id, keyId: apiKey.id }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      revokeApiKeyById(
        { userId: other.owner.user.id, keyId: apiKey.id, twoFactorVerified: true },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await authenticateApiKey(key, deps)).not.toBeNull();
  });

  it('resolves the org from the key and applies its rules', async () => {
    const { t, apiKey, key } = await newKey();

    await expect(
      revokeApiKeyById(
        { userId: t.member.user.id, keyId: apiKey.id, twoFactorVerified: true },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await database.db
      .update(schema.organizations)
      .set({ requireTwoFactor: true })
      .where(eq(schema.organizations.id, t.org.id));
    await expect(
      revokeApiKeyById(
        { userId: t.admin.user.id, keyId: apiKey.id, twoFactorVerified: false },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'two_factor_required' } });
    expect(await authenticateApiKey(key, deps)).not.toBeNull();

    const revoked = await revokeApiKeyById(
      { userId: t.admin.user.id, keyId: apiKey.id, twoFactorVerified: true },
      deps,
    );
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticateApiKey(key, deps)).toBeNull();
  });

  it('treats revoking a revoked key as done', async () => {
    const { t, apiKey } = await newKey();
    const first = await revokeApiKey(
      { actor: t.admin.actor, orgId: t.org.id, keyId: apiKey.id },
      deps,
    );
    const again = await revokeApiKey(
      { actor: t.owner.actor, orgId: t.org.id, keyId: apiKey.id },
      deps,
    );

    expect(again.revokedAt).toEqual(first.revokedAt);
    const events = await listAuditEvents(database.db, { orgId: t.org.id, limit: 10 });
    expect(events.filter((event) => event.action === 'api_key.revoked')).toHaveLength(1);
  });
});
