import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  consumeRecoveryCode,
  countUnusedRecoveryCodes,
  deleteTwoFactorCredentials,
  enableTotpCredential,
  getTotpCredential,
  recordTotpStep,
  replaceRecoveryCodes,
  upsertPendingTotpCredential,
} from './two-factor';
import { createUser } from './users';

let database: TestDatabase;
const NOW = new Date('2030-01-01T00:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function newUserId(): Promise<string> {
  const user = await createUser(database.db, { email: `${crypto.randomUUID()}@x.test`, name: 'U' });
  return user.id;
}

describe('two-factor queries', () => {
  it('replaces a pending secret but never an enabled one', async () => {
    const userId = await newUserId();
    await upsertPendingTotpCredential(database.db, { userId, secretEncrypted: 'first' });
    await upsertPendingTotpCredential(database.db, { userId, secretEncrypted: 'second' });
    expect(await getTotpCredential(database.db, { userId })).toMatchObject({
      secretEncrypted: 'second',
      enabledAt: null,
    });

    await enableTotpCredential(database.db, { userId, step: 100, now: NOW });
    const replaced = await upsertPendingTotpCredential(database.db, {
      userId,
      secretEncrypted: 'third',
    });

    expect(replaced).toBeNull();
    expect(await getTotpCredential(database.db, { userId })).toMatchObject({
      secretEncrypted: 'second',
      enabledAt: NOW,
      lastUsedStep: 100,
    });
  });

  it('accepts each time step once and never an earlier one', async () => {
    const userId = await newUserId();
    await upsertPendingTotpCredential(database.db, { userId, secretEncrypted: 's' });
    await enableTotpCredential(database.db, { userId, step: 10, now: NOW });

    expect(await recordTotpStep(database.db, { userId, step: 10 })).toBe(false);
    expect(await recordTotpStep(database.db, { userId, step: 11 })).toBe(true);
    expect(await recordTotpStep(database.db, { userId, step: 11 })).toBe(false);
    expect(await recordTotpStep(database.db, { userId, step: 9 })).toBe(false);
  });

  it('spends each recovery code once', async () => {
    const userId = await newUserId();
    await replaceRecoveryCodes(database.db, { userId, codeHashes: ['a', 'b'] });

    expect(await consumeRecoveryCode(database.db, { userId, codeHash: 'a', now: NOW })).toBe(true);
    expect(await consumeRecoveryCode(database.db, { userId, codeHash: 'a', now: NOW })).toBe(false);
    expect(await consumeRecoveryCode(database.db, { userId, codeHash: 'z', now: NOW })).toBe(false);
    expect(await countUnusedRecoveryCodes(database.db, { userId })).toBe(1);
  });

  it('regenerating recovery codes voids the old ones', async () => {
    const userId = await newUserId();
    await replaceRecoveryCodes(database.db, { userId, codeHashes: ['old'] });
    await replaceRecoveryCodes(database.db, { userId, codeHashes: ['new-1', 'new-2'] });

    expect(await consumeRecoveryCode(database.db, { userId, codeHash: 'old', now: NOW })).toBe(
      false,
    );
    expect(await countUnusedRecoveryCodes(database.db, { userId })).toBe(2);
  });

  it('deletes the credential and the recovery codes together', async () => {
    const userId = await newUserId();
    await upsertPendingTotpCredential(database.db, { userId, secretEncrypted: 's' });
    await replaceRecoveryCodes(database.db, { userId, codeHashes: ['a'] });

    await deleteTwoFactorCredentials(database.db, { userId });

    expect(await getTotpCredential(database.db, { userId })).toBeNull();
    expect(await countUnusedRecoveryCodes(database.db, { userId })).toBe(0);
  });
});
