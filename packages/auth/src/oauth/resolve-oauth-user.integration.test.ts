import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  getUserByEmail,
  listMembershipsForUser,
  listOAuthAccountsForUser,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { isAppError } from '@switchyard/shared';
import type { OAuthIdentity } from './oauth-client';
import { resolveOAuthUser } from './resolve-oauth-user';

let database: TestDatabase;
let deps: Parameters<typeof resolveOAuthUser>[1];

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db };
});
afterAll(async () => {
  await database.drop();
});

function identity(overrides: Partial<OAuthIdentity>): OAuthIdentity {
  return {
    subject: `sub-${Math.random().toString(36).slice(2)}`,
    email: null,
    emailVerified: false,
    name: 'Someone',
    ...overrides,
  };
}

/** Resolves an identity that must end in a signed-in account. */
async function resolveSignedIn(...args: Parameters<typeof resolveOAuthUser>) {
  const result = await resolveOAuthUser(...args);
  if (result.outcome === 'refused') throw new Error('expected a signed-in account');
  return result;
}

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? `${error.code}:${String(error.details?.reason)}` : error;
  }
  return 'no error';
}

describe('resolveOAuthUser', () => {
  it('creates a verified account with a personal org the first time', async () => {
    const result = await resolveSignedIn(
      {
        providerId: 'google',
        identity: identity({ email: 'New@Example.com', emailVerified: true, name: 'New Person' }),
      },
      deps,
    );

    expect(result.outcome).toBe('created');
    expect(result.user).toMatchObject({
      email: 'new@example.com',
      name: 'New Person',
      passwordHash: null,
    });
    expect(result.user.emailVerifiedAt).toBeInstanceOf(Date);
    const memberships = await listMembershipsForUser(database.db, { userId: result.user.id });
    expect(memberships).toMatchObject([{ role: 'owner', organization: { personal: true } }]);
  });

  it('creates an account with an unverified e-mail when the provider did not verify it', async () => {
    const result = await resolveSignedIn(
      { providerId: 'github', identity: identity({ email: 'unverified-new@example.com' }) },
      deps,
    );

    expect(result.outcome).toBe('created');
    expect(result.user.emailVerifiedAt).toBeNull();
  });

  it('signs a linked identity in to its account even after its e-mail changed', async () => {
    const first = identity({ email: 'linked@example.com', emailVerified: true });
    const created = await resolveSignedIn({ providerId: 'google', identity: first }, deps);

    const again = await resolveSignedIn(
      { providerId: 'google', identity: { ...first, email: 'renamed@example.com' } },
      deps,
    );

    expect(again).toEqual({ user: created.user, outcome: 'existing' });
  });

  it('does not take a linked subject of one provider as the same subject of another', async () => {
    const shared = identity({ email: 'one@example.com', emailVerified: true });
    const google = await resolveSignedIn({ providerId: 'google', identity: shared }, deps);

    const other = await resolveSignedIn(
      { providerId: 'oidc', identity: { ...shared, email: 'two@example.com' } },
      deps,
    );

    expect(other.user.id).not.toBe(google.user.id);
  });

  it('links to an existing account when both the provider and the account verified the e-mail', async () => {
    const local = await createUser(database.db, {
      email: 'both-verified@example.com',
      name: 'Local',
      passwordHash: 'argon2-hash',
      emailVerifiedAt: new Date(),
    });

    const result = await resolveSignedIn(
      {
        providerId: 'google',
        identity: identity({ email: 'Both-Verified@example.com', emailVerified: true }),
      },
      deps,
    );

    expect(result.outcome).toBe('linked');
    expect(result.user.id).toBe(local.id);
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toHaveLength(1);
  });

  it('refuses to link when the provider did not verify the e-mail', async () => {
    const local = await createUser(database.db, {
      email: 'victim@example.com',
      name: 'Victim',
      passwordHash: 'argon2-hash',
      emailVerifiedAt: new Date(),
    });

    const result = await resolveOAuthUser(
      {
        providerId: 'oidc',
        identity: identity({ email: 'victim@example.com', emailVerified: false }),
      },
      deps,
    );

    expect(result).toEqual({
      outcome: 'refused',
      reason: 'account_exists',
      existingUserId: local.id,
    });
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toEqual([]);
  });

  it('refuses to link when the local account never verified its e-mail', async () => {
    const local = await createUser(database.db, {
      email: 'squatted@example.com',
      name: 'Squatter',
    });

    const result = await resolveOAuthUser(
      {
        providerId: 'google',
        identity: identity({ email: 'squatted@example.com', emailVerified: true }),
      },
      deps,
    );

    expect(result).toEqual({
      outcome: 'refused',
      reason: 'account_exists',
      existingUserId: local.id,
    });
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toEqual([]);
  });

  it('refuses an identity without an e-mail address', async () => {
    expect(
      await reasonOf(resolveOAuthUser({ providerId: 'github', identity: identity({}) }, deps)),
    ).toBe('UNPROCESSABLE:email_missing');
  });

  it('gives two concurrent first sign-ins of one identity one account', async () => {
    const same = identity({ email: 'race@example.com', emailVerified: true });

    const [a, b] = await Promise.all([
      resolveSignedIn({ providerId: 'google', identity: same }, deps),
      resolveSignedIn({ providerId: 'google', identity: same }, deps),
    ]);

    expect(a.user.id).toBe(b.user.id);
    expect([a.outcome, b.outcome].sort()).toEqual(['created', 'existing']);
    expect(await getUserByEmail(database.db, { email: 'race@example.com' })).toMatchObject({
      id: a.user.id,
    });
  });
});
