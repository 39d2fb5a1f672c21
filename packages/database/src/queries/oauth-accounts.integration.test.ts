import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  createOAuthAccount,
  deleteOAuthAccountsForUser,
  getOAuthAccountByProviderSubject,
  listOAuthAccountsForUser,
} from './oauth-accounts';
import { createUser } from './users';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('oauth-accounts queries', () => {
  it('finds a link by provider and subject, and not by the subject alone', async () => {
    const user = await createUser(database.db, { email: 'link@example.com', name: 'Link' });
    const link = await createOAuthAccount(database.db, {
      userId: user.id,
      provider: 'github',
      subject: '12345',
      email: 'link@example.com',
    });

    expect(
      await getOAuthAccountByProviderSubject(database.db, { provider: 'github', subject: '12345' }),
    ).toEqual(link);
    expect(
      await getOAuthAccountByProviderSubject(database.db, { provider: 'google', subject: '12345' }),
    ).toBeNull();
  });

  it('refuses to link one provider identity twice', async () => {
    const first = await createUser(database.db, { email: 'first@example.com', name: 'First' });
    const second = await createUser(database.db, { email: 'second@example.com', name: 'Second' });
    await createOAuthAccount(database.db, {
      userId: first.id,
      provider: 'oidc',
      subject: 'same',
      email: null,
    });

    const duplicate = createOAuthAccount(database.db, {
      userId: second.id,
      provider: 'oidc',
      subject: 'same',
      email: null,
    });

    await expect(duplicate).rejects.toSatisfy((error) =>
      isUniqueViolation(error, 'oauth_accounts_provider_subject_unique'),
    );
  });

  it("lists and deletes one user's links only", async () => {
    const user = await createUser(database.db, { email: 'many@example.com', name: 'Many' });
    const other = await createUser(database.db, { email: 'other@example.com', name: 'Other' });
    await createOAuthAccount(database.db, {
      userId: user.id,
      provider: 'google',
      subject: 'g-1',
      email: null,
    });
    await createOAuthAccount(database.db, {
      userId: user.id,
      provider: 'github',
      subject: 'gh-1',
      email: null,
    });
    await createOAuthAccount(database.db, {
      userId: other.id,
      provider: 'google',
      subject: 'g-2',
      email: null,
    });

    expect(
      (await listOAuthAccountsForUser(database.db, { userId: user.id })).map((a) => a.provider),
    ).toEqual(['google', 'github']);
    expect(await deleteOAuthAccountsForUser(database.db, { userId: user.id })).toBe(2);
    expect(await listOAuthAccountsForUser(database.db, { userId: user.id })).toEqual([]);
    expect(await listOAuthAccountsForUser(database.db, { userId: other.id })).toHaveLength(1);
    expect(await listOAuthAccountsForUser(database.db, { userId: 'not-a-uuid' })).toEqual([]);
  });
});
