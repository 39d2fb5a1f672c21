import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  consumeAuthToken,
  createAuthToken,
  getActiveAuthToken,
  invalidateAuthTokens,
  recordAuthTokenFailure,
} from './auth-tokens';
import { createUser } from './users';

let database: TestDatabase;
let userId: string;
const NOW = new Date('2030-01-01T00:00:00.000Z');
const LATER = new Date('2030-01-01T00:10:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase();
  userId = (await createUser(database.db, { email: 'tokens@example.com', name: 'T' })).id;
});
afterAll(async () => {
  await database.drop();
});

function issue(tokenHash: string, purpose: 'verify_email' | 'reset_password' = 'verify_email') {
  return createAuthToken(database.db, { userId, purpose, tokenHash, expiresAt: LATER });
}

describe('auth token queries', () => {
  it('finds an active token only for its purposes and before it expires', async () => {
    const token = await issue('hash-active');
    const find = (purposes: Array<'verify_email' | 'reset_password'>, now: Date) =>
      getActiveAuthToken(database.db, { tokenHash: 'hash-active', purposes, now });

    expect(await find(['verify_email'], NOW)).toMatchObject({ id: token.id, data: {} });
    expect(await find(['reset_password'], NOW)).toBeNull();
    expect(await find(['verify_email'], LATER)).toBeNull();
  });

  it('consumes a token exactly once', async () => {
    const token = await issue('hash-once');

    const results = await Promise.all([
      consumeAuthToken(database.db, { tokenId: token.id, now: NOW }),
      consumeAuthToken(database.db, { tokenId: token.id, now: NOW }),
    ]);

    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(
      await getActiveAuthToken(database.db, {
        tokenHash: 'hash-once',
        purposes: ['verify_email'],
        now: NOW,
      }),
    ).toBeNull();
  });

  it('does not consume an expired token', async () => {
    const token = await issue('hash-expired');

    expect(await consumeAuthToken(database.db, { tokenId: token.id, now: LATER })).toBeNull();
  });

  it('spends a token after too many wrong codes', async () => {
    const token = await issue('hash-attempts', 'reset_password');
    const fail = () =>
      recordAuthTokenFailure(database.db, { tokenId: token.id, maxAttempts: 2, now: NOW });

    expect(await fail()).toBe(1);
    expect(await fail()).toBe(2);
    expect(await consumeAuthToken(database.db, { tokenId: token.id, now: NOW })).toBeNull();
  });

  it('invalidates the unused tokens of one purpose', async () => {
    const reset = await issue('hash-reset-old', 'reset_password');
    const verify = await issue('hash-verify-kept');

    await invalidateAuthTokens(database.db, { userId, purpose: 'reset_password', now: NOW });

    expect(await consumeAuthToken(database.db, { tokenId: reset.id, now: NOW })).toBeNull();
    expect(await consumeAuthToken(database.db, { tokenId: verify.id, now: NOW })).not.toBeNull();
  });
});
