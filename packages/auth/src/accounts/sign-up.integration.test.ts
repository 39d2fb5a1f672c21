import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUserByEmail, listMembershipsForUser } from '@switchyard/database';
import { logIn } from './log-in';
import { resendVerification } from './resend-verification';
import { signUp } from './sign-up';
import {
  countMail,
  createAccountTestKit,
  findLink,
  readLatestMail,
  readMailedToken,
  type AccountTestKit,
} from './testing/account-test-kit';
import { verifyEmail } from './verify-email';

let kit: AccountTestKit;
const PASSWORD = 'a sturdy passphrase 42';

beforeAll(async () => {
  kit = await createAccountTestKit({ publicUrl: 'https://app.switchyard.test' });
});
afterAll(async () => {
  await kit.close();
});

describe('signUp', () => {
  it('creates the user with a personal org they own and e-mails a verification link', async () => {
    await signUp(
      { input: { email: 'Ada@Example.com', password: PASSWORD, name: 'Ada' } },
      kit.deps,
    );

    const user = await getUserByEmail(kit.database.db, { email: 'ada@example.com' });
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', emailVerifiedAt: null });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    const memberships = await listMembershipsForUser(kit.database.db, { userId: user?.id ?? '' });
    expect(memberships).toEqual([
      expect.objectContaining({
        role: 'owner',
        organization: expect.objectContaining({ personal: true }),
      }),
    ]);
    const link = findLink(await readLatestMail(kit, 'ada@example.com'));
    expect(link.origin).toBe('https://app.switchyard.test');
    expect(link.pathname).toBe('/verify-email');
  });

  it('does not reveal an existing account: nothing is created and its owner is told', async () => {
    await signUp({ input: { email: 'grace@example.com', password: PASSWORD } }, kit.deps);
    const before = await getUserByEmail(kit.database.db, { email: 'grace@example.com' });

    const second = signUp(
      { input: { email: 'GRACE@example.com', password: 'another sturdy passphrase' } },
      kit.deps,
    );

    await expect(second).resolves.toBeUndefined();
    const after = await getUserByEmail(kit.database.db, { email: 'grace@example.com' });
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect((await readLatestMail(kit, 'grace@example.com')).subject).toMatch(/tried to sign up/);
  });

  it('refuses a common password and a password equal to the e-mail address', async () => {
    await expect(
      signUp({ input: { email: 'common@example.com', password: 'Password1' } }, kit.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      signUp({ input: { email: 'self@example.com', password: 'self@example.com' } }, kit.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    expect(await getUserByEmail(kit.database.db, { email: 'common@example.com' })).toBeNull();
    expect(await getUserByEmail(kit.database.db, { email: 'self@example.com' })).toBeNull();
  });
});

describe('verifyEmail', () => {
  it('verifies the address once; the link cannot be used again', async () => {
    await signUp({ input: { email: 'once@example.com', password: PASSWORD } }, kit.deps);
    const token = await readMailedToken(kit, 'once@example.com');

    const result = await verifyEmail({ token }, kit.deps);

    expect(result).toMatchObject({ purpose: 'verify_email', user: { emailVerified: true } });
    await expect(verifyEmail({ token }, kit.deps)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { reason: 'invalid_token' },
    });
  });

  it('refuses a link older than 10 minutes', async () => {
    await signUp({ input: { email: 'late@example.com', password: PASSWORD } }, kit.deps);
    const token = await readMailedToken(kit, 'late@example.com');

    kit.clock.advance(601);

    await expect(verifyEmail({ token }, kit.deps)).rejects.toMatchObject({
      details: { reason: 'invalid_token' },
    });
    const user = await getUserByEmail(kit.database.db, { email: 'late@example.com' });
    expect(user?.emailVerifiedAt).toBeNull();
  });

  it('still accepts a link just before it expires', async () => {
    await signUp({ input: { email: 'intime@example.com', password: PASSWORD } }, kit.deps);
    const token = await readMailedToken(kit, 'intime@example.com');

    kit.clock.advance(599);

    await expect(verifyEmail({ token }, kit.deps)).resolves.toMatchObject({
      user: { emailVerified: true },
    });
  });

  it('a resent link replaces the earlier one; unknown addresses get nothing', async () => {
    await signUp({ input: { email: 'resend@example.com', password: PASSWORD } }, kit.deps);
    const first = await readMailedToken(kit, 'resend@example.com');

    await resendVerification({ email: 'resend@example.com' }, kit.deps);
    await resendVerification({ email: 'nobody@example.com' }, kit.deps);
    const second = await readMailedToken(kit, 'resend@example.com');

    expect(second).not.toBe(first);
    await expect(verifyEmail({ token: first }, kit.deps)).rejects.toMatchObject({
      details: { reason: 'invalid_token' },
    });
    await expect(verifyEmail({ token: second }, kit.deps)).resolves.toBeDefined();
    expect(await countMail(kit, 'nobody@example.com')).toBe(0);
  });

  it('an unverified account cannot log in, even with the right password', async () => {
    await signUp({ input: { email: 'unverified@example.com', password: PASSWORD } }, kit.deps);

    await expect(
      logIn({ input: { email: 'unverified@example.com', password: PASSWORD } }, kit.deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'email_not_verified' } });
  });
});
