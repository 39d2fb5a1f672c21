import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionById, getTotpCredential } from '@switchyard/database';
import { completeTwoFactorLogin } from '../accounts/complete-two-factor-login';
import { logIn } from '../accounts/log-in';
import {
  createAccountTestKit,
  createVerifiedUser,
  enableTotpFor,
  totpCode,
  type AccountTestKit,
} from '../accounts/testing/account-test-kit';
import { hashToken } from '../crypto';
import { disableTwoFactor } from './disable-two-factor';
import { enableTwoFactor } from './enable-two-factor';
import { regenerateRecoveryCodes } from './regenerate-recovery-codes';
import { setUpTwoFactor } from './set-up-two-factor';
import { verifySecondFactor } from './verify-second-factor';

let kit: AccountTestKit;
const PASSWORD = 'a sturdy passphrase 42';
let counter = 0;

beforeAll(async () => {
  kit = await createAccountTestKit();
});
afterAll(async () => {
  await kit.close();
});

async function newUser() {
  counter += 1;
  const email = `two-factor-${counter}@example.com`;
  const user = await createVerifiedUser(kit, { email, password: PASSWORD });
  const login = await logIn({ input: { email, password: PASSWORD } }, kit.deps);
  if (login.status !== 'authenticated') throw new Error('expected a session');
  return { user, sessionId: login.session.session.id };
}

describe('two-factor enrolment', () => {
  it('returns the secret, an otpauth URL and a QR code, and stores the secret encrypted', async () => {
    const { user } = await newUser();

    const setup = await setUpTwoFactor({ userId: user.id }, kit.deps);

    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.otpauthUrl).toContain(`secret=${setup.secret}`);
    expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const stored = await getTotpCredential(kit.database.db, { userId: user.id });
    expect(stored).toMatchObject({ enabledAt: null });
    expect(stored?.secretEncrypted).toMatch(/^v1\./);
    expect(stored?.secretEncrypted).not.toContain(setup.secret);
  });

  it('is not enabled by a wrong code', async () => {
    const { user } = await newUser();
    await setUpTwoFactor({ userId: user.id }, kit.deps);

    await expect(
      enableTwoFactor({ userId: user.id, code: '000000' }, kit.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { errors: [{ path: 'code' }] } });
    expect((await getTotpCredential(kit.database.db, { userId: user.id }))?.enabledAt).toBeNull();
  });

  it('is enabled by a right code and returns ten recovery codes, stored only as hashes', async () => {
    const { user } = await newUser();
    const { secret } = await setUpTwoFactor({ userId: user.id }, kit.deps);

    const { recoveryCodes } = await enableTwoFactor(
      { userId: user.id, code: await totpCode(secret, kit.clock.now()) },
      kit.deps,
    );

    expect(recoveryCodes).toHaveLength(10);
    const rows = await kit.database.db.query.recoveryCodes.findMany({
      where: (codes, { eq }) => eq(codes.userId, user.id),
    });
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
    expect(rows.map((row) => row.codeHash).sort()).toEqual(
      recoveryCodes.map((code) => hashToken(code.replaceAll('-', ''))).sort(),
    );
  });

  it('the code that enabled it cannot be replayed to sign in', async () => {
    const { user } = await newUser();
    const { secret } = await setUpTwoFactor({ userId: user.id }, kit.deps);
    const code = await totpCode(secret, kit.clock.now());
    await enableTwoFactor({ userId: user.id, code }, kit.deps);

    expect(await verifySecondFactor({ userId: user.id, code }, kit.deps)).toBeNull();
  });

  it('refuses a second set-up once enabled', async () => {
    const { user } = await newUser();
    await enableTotpFor(kit, user.id);

    await expect(setUpTwoFactor({ userId: user.id }, kit.deps)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('disabling two-factor', () => {
  it('needs a valid code, then deletes the credential and ends the other sessions', async () => {
    const { user, sessionId } = await newUser();
    const { secret } = await enableTotpFor(kit, user.id);
    const other = await logIn({ input: { email: user.email, password: PASSWORD } }, kit.deps);
    if (other.status !== 'two_factor_required') throw new Error('expected a challenge');

    await expect(disableTwoFactor({ userId: user.id, sessionId }, kit.deps)).rejects.toMatchObject({
      details: { reason: 'two_factor_required' },
    });
    await expect(
      disableTwoFactor({ userId: user.id, sessionId, code: '000000' }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_two_factor_code' } });

    const { session: otherSession } = await completeTwoFactorLogin(
      {
        input: {
          challengeToken: other.challengeToken,
          code: await totpCode(secret, kit.clock.now()),
        },
      },
      kit.deps,
    );
    kit.clock.advance(30);

    await disableTwoFactor(
      { userId: user.id, sessionId, code: await totpCode(secret, kit.clock.now()) },
      kit.deps,
    );

    expect(await getTotpCredential(kit.database.db, { userId: user.id })).toBeNull();
    expect((await getSessionById(kit.database.db, { sessionId }))?.revokedAt).toBeNull();
    expect(
      (await getSessionById(kit.database.db, { sessionId: otherSession.session.id }))?.revokedAt,
    ).toBeInstanceOf(Date);
    const next = await logIn({ input: { email: user.email, password: PASSWORD } }, kit.deps);
    expect(next.status).toBe('authenticated');
  });
});

describe('regenerating recovery codes', () => {
  it('gives ten new codes and voids every old one', async () => {
    const { user } = await newUser();
    const { recoveryCodes: old } = await enableTotpFor(kit, user.id);

    const { recoveryCodes: fresh } = await regenerateRecoveryCodes({ userId: user.id }, kit.deps);

    expect(fresh).toHaveLength(10);
    expect(
      await verifySecondFactor({ userId: user.id, recoveryCode: old[0] }, kit.deps),
    ).toBeNull();
    expect(await verifySecondFactor({ userId: user.id, recoveryCode: fresh[0] }, kit.deps)).toBe(
      'recovery_code',
    );
    expect(
      await verifySecondFactor({ userId: user.id, recoveryCode: fresh[0] }, kit.deps),
    ).toBeNull();
  });
});
