import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionById, listAuditEvents } from '@switchyard/database';
import { completeTwoFactorLogin } from './complete-two-factor-login';
import { logIn } from './log-in';
import {
  createAccountTestKit,
  createVerifiedUser,
  enableTotpFor,
  totpCode,
  type AccountTestKit,
} from './testing/account-test-kit';

let kit: AccountTestKit;
const PASSWORD = 'a sturdy passphrase 42';

beforeAll(async () => {
  kit = await createAccountTestKit();
});
afterAll(async () => {
  await kit.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('logIn', () => {
  it('starts a session for the right password', async () => {
    const user = await createVerifiedUser(kit, { email: 'login@example.com', password: PASSWORD });

    const result = await logIn(
      {
        input: { email: 'LOGIN@example.com', password: PASSWORD },
        context: { ip: '203.0.113.7', userAgent: 'test-agent' },
      },
      kit.deps,
    );

    expect(result.status).toBe('authenticated');
    if (result.status !== 'authenticated') return;
    expect(result.user).toMatchObject({ id: user.id, email: 'login@example.com' });
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(result.session.refreshToken.length).toBeGreaterThanOrEqual(43);
    const session = await getSessionById(kit.database.db, { sessionId: result.session.session.id });
    expect(session).toMatchObject({ userId: user.id, method: 'password', ip: '203.0.113.7' });
  });

  it('answers an unknown address and a wrong password identically', async () => {
    await createVerifiedUser(kit, { email: 'known@example.com', password: PASSWORD });

    const unknown = await rejectionOf(
      logIn({ input: { email: 'unknown@example.com', password: PASSWORD } }, kit.deps),
    );
    const wrong = await rejectionOf(
      logIn({ input: { email: 'known@example.com', password: `${PASSWORD}!` } }, kit.deps),
    );

    expect(unknown).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(wrong).toEqual(unknown);
    expect(JSON.stringify(wrong)).toBe(JSON.stringify(unknown));
  });

  it('records failed logins in the audit log without the password', async () => {
    const user = await createVerifiedUser(kit, {
      email: 'audited@example.com',
      password: PASSWORD,
    });
    await rejectionOf(
      logIn({ input: { email: 'audited@example.com', password: 'wrong-password-1' } }, kit.deps),
    );
    const [personal] = await kit.database.db.query.memberships.findMany({
      where: (memberships, { eq }) => eq(memberships.userId, user.id),
    });

    const events = await listAuditEvents(kit.database.db, {
      orgId: personal?.orgId ?? '',
      limit: 10,
    });

    const failed = events.find((event) => event.action === 'auth.login.failed');
    expect(failed).toMatchObject({ targetId: user.id, actorUserId: null });
    expect(JSON.stringify(events)).not.toContain('wrong-password-1');
  });

  it('accepts a 100-character password whole: one differing at character 80 fails', async () => {
    const long = Array.from({ length: 100 }, (_, i) =>
      String.fromCharCode(97 + ((i * 7) % 26)),
    ).join('');
    const changedAt80 = `${long.slice(0, 79)}${long[79] === 'z' ? 'y' : 'z'}${long.slice(80)}`;
    await createVerifiedUser(kit, { email: 'long@example.com', password: long });

    const ok = await logIn({ input: { email: 'long@example.com', password: long } }, kit.deps);
    const bad = logIn({ input: { email: 'long@example.com', password: changedAt80 } }, kit.deps);

    expect(long).toHaveLength(100);
    expect(ok.status).toBe('authenticated');
    await expect(bad).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('login with a second factor', () => {
  it('asks for the second factor, then starts a two-factor-verified session', async () => {
    const user = await createVerifiedUser(kit, { email: 'totp@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);

    const first = await logIn(
      { input: { email: 'totp@example.com', password: PASSWORD } },
      kit.deps,
    );
    expect(first.status).toBe('two_factor_required');
    if (first.status !== 'two_factor_required') return;
    expect(first).not.toHaveProperty('session');

    const code = await totpCode(secret, kit.clock.now());
    const done = await completeTwoFactorLogin(
      { input: { challengeToken: first.challengeToken, code } },
      kit.deps,
    );

    expect(done.session.session).toMatchObject({ userId: user.id, twoFactorVerified: true });
  });

  it('refuses a TOTP code replayed in the same window', async () => {
    const user = await createVerifiedUser(kit, { email: 'replay@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);
    const code = await totpCode(secret, kit.clock.now());
    const login = async () => {
      const result = await logIn(
        { input: { email: 'replay@example.com', password: PASSWORD } },
        kit.deps,
      );
      if (result.status !== 'two_factor_required') throw new Error('expected a challenge');
      return result.challengeToken;
    };

    await completeTwoFactorLogin({ input: { challengeToken: await login(), code } }, kit.deps);
    const replay = completeTwoFactorLogin(
      { input: { challengeToken: await login(), code } },
      kit.deps,
    );

    await expect(replay).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'invalid_two_factor_code' },
    });
  });

  it('accepts a recovery code once', async () => {
    const user = await createVerifiedUser(kit, {
      email: 'recover@example.com',
      password: PASSWORD,
    });
    const { recoveryCodes } = await enableTotpFor(kit, user.id);
    const [recoveryCode = ''] = recoveryCodes;
    const challenge = async () => {
      const result = await logIn(
        { input: { email: 'recover@example.com', password: PASSWORD } },
        kit.deps,
      );
      if (result.status !== 'two_factor_required') throw new Error('expected a challenge');
      return result.challengeToken;
    };

    const done = await completeTwoFactorLogin(
      { input: { challengeToken: await challenge(), recoveryCode: recoveryCode.toUpperCase() } },
      kit.deps,
    );
    const again = completeTwoFactorLogin(
      { input: { challengeToken: await challenge(), recoveryCode } },
      kit.deps,
    );

    expect(done.status).toBe('authenticated');
    await expect(again).rejects.toMatchObject({ details: { reason: 'invalid_two_factor_code' } });
  });

  it('spends the challenge after five wrong codes', async () => {
    const user = await createVerifiedUser(kit, { email: 'guess@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);
    const result = await logIn(
      { input: { email: 'guess@example.com', password: PASSWORD } },
      kit.deps,
    );
    if (result.status !== 'two_factor_required') throw new Error('expected a challenge');
    const { challengeToken } = result;

    for (let attempt = 0; attempt < 5; attempt += 1) {
      await rejectionOf(
        completeTwoFactorLogin({ input: { challengeToken, code: '000000' } }, kit.deps),
      );
    }
    const code = await totpCode(secret, kit.clock.now());

    await expect(
      completeTwoFactorLogin({ input: { challengeToken, code } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_challenge' } });
  });

  it('asks for a code when none is given, keeping the challenge usable', async () => {
    const user = await createVerifiedUser(kit, { email: 'nocode@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);
    const result = await logIn(
      { input: { email: 'nocode@example.com', password: PASSWORD } },
      kit.deps,
    );
    if (result.status !== 'two_factor_required') throw new Error('expected a challenge');

    await expect(
      completeTwoFactorLogin({ input: { challengeToken: result.challengeToken } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'two_factor_required' } });
    const code = await totpCode(secret, kit.clock.now());
    await expect(
      completeTwoFactorLogin({ input: { challengeToken: result.challengeToken, code } }, kit.deps),
    ).resolves.toMatchObject({ status: 'authenticated' });
  });
});
