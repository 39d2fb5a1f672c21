import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionById, getUserById } from '@switchyard/database';
import { verifyPassword } from '../passwords/hash-password';
import { logIn } from './log-in';
import { requestPasswordReset } from './request-password-reset';
import { resetPassword } from './reset-password';
import {
  countMail,
  createAccountTestKit,
  createVerifiedUser,
  enableTotpFor,
  findLink,
  readLatestMail,
  readMailedToken,
  totpCode,
  type AccountTestKit,
} from './testing/account-test-kit';

let kit: AccountTestKit;
const PASSWORD = 'a sturdy passphrase 42';
const NEW_PASSWORD = 'an even sturdier passphrase 43';

beforeAll(async () => {
  kit = await createAccountTestKit({ publicUrl: 'https://app.switchyard.test/' });
});
afterAll(async () => {
  await kit.close();
});

async function passwordWorks(userId: string, password: string): Promise<boolean> {
  const user = await getUserById(kit.database.db, { userId });
  return (await verifyPassword(user?.passwordHash, password)).valid;
}

describe('password reset', () => {
  it('e-mails a link built from the public URL and sets the new password with it', async () => {
    const user = await createVerifiedUser(kit, { email: 'reset@example.com', password: PASSWORD });

    await requestPasswordReset({ email: 'Reset@Example.com' }, kit.deps);
    const link = findLink(await readLatestMail(kit, 'reset@example.com'));
    await resetPassword(
      { input: { token: link.searchParams.get('token') ?? '', password: NEW_PASSWORD } },
      kit.deps,
    );

    expect(`${link.origin}${link.pathname}`).toBe('https://app.switchyard.test/reset-password');
    expect(await passwordWorks(user.id, NEW_PASSWORD)).toBe(true);
    expect(await passwordWorks(user.id, PASSWORD)).toBe(false);
  });

  it('sends nothing for an unknown address and still resolves', async () => {
    await expect(
      requestPasswordReset({ email: 'ghost@example.com' }, kit.deps),
    ).resolves.toBeUndefined();
    expect(await countMail(kit, 'ghost@example.com')).toBe(0);
  });

  it('ends every session of the user', async () => {
    await createVerifiedUser(kit, { email: 'sessions@example.com', password: PASSWORD });
    const login = await logIn(
      { input: { email: 'sessions@example.com', password: PASSWORD } },
      kit.deps,
    );
    if (login.status !== 'authenticated') throw new Error('expected a session');

    await requestPasswordReset({ email: 'sessions@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'sessions@example.com');
    await resetPassword({ input: { token, password: NEW_PASSWORD } }, kit.deps);

    const session = await getSessionById(kit.database.db, {
      sessionId: login.session.session.id,
    });
    expect(session?.revokedAt).toBeInstanceOf(Date);
    expect(session?.revokedReason).toBe('password_reset');
  });

  it('a link works once', async () => {
    await createVerifiedUser(kit, { email: 'single@example.com', password: PASSWORD });
    await requestPasswordReset({ email: 'single@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'single@example.com');

    await resetPassword({ input: { token, password: NEW_PASSWORD } }, kit.deps);

    await expect(
      resetPassword({ input: { token, password: 'yet another passphrase 44' } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_token' } });
  });

  it('a link expires after 10 minutes', async () => {
    const user = await createVerifiedUser(kit, { email: 'expiry@example.com', password: PASSWORD });
    await requestPasswordReset({ email: 'expiry@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'expiry@example.com');

    kit.clock.advance(600);

    await expect(
      resetPassword({ input: { token, password: NEW_PASSWORD } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_token' } });
    expect(await passwordWorks(user.id, PASSWORD)).toBe(true);
  });

  it('refuses a common new password without spending the link', async () => {
    await createVerifiedUser(kit, { email: 'weak@example.com', password: PASSWORD });
    await requestPasswordReset({ email: 'weak@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'weak@example.com');

    await expect(
      resetPassword({ input: { token, password: 'iloveyou' } }, kit.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      resetPassword({ input: { token, password: NEW_PASSWORD } }, kit.deps),
    ).resolves.toBeUndefined();
  });

  it('with 2FA enabled, fails without a code and succeeds with one', async () => {
    const user = await createVerifiedUser(kit, { email: 'mfa@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);
    await requestPasswordReset({ email: 'mfa@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'mfa@example.com');

    await expect(
      resetPassword({ input: { token, password: NEW_PASSWORD } }, kit.deps),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'two_factor_required' },
    });
    await expect(
      resetPassword({ input: { token, password: NEW_PASSWORD, code: '123456' } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_two_factor_code' } });
    expect(await passwordWorks(user.id, PASSWORD)).toBe(true);

    const code = await totpCode(secret, kit.clock.now());
    await resetPassword({ input: { token, password: NEW_PASSWORD, code } }, kit.deps);

    expect(await passwordWorks(user.id, NEW_PASSWORD)).toBe(true);
  });

  it('with 2FA enabled, a recovery code also works', async () => {
    const user = await createVerifiedUser(kit, { email: 'mfa-rc@example.com', password: PASSWORD });
    const { recoveryCodes } = await enableTotpFor(kit, user.id);
    await requestPasswordReset({ email: 'mfa-rc@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'mfa-rc@example.com');

    await resetPassword(
      { input: { token, password: NEW_PASSWORD, recoveryCode: recoveryCodes[3] ?? '' } },
      kit.deps,
    );

    expect(await passwordWorks(user.id, NEW_PASSWORD)).toBe(true);
  });
});
