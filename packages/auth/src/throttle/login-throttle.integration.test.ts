import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '@switchyard/shared';
import { completeTwoFactorLogin } from '../accounts/complete-two-factor-login';
import { logIn } from '../accounts/log-in';
import { reauthenticate } from '../accounts/reauthenticate';
import {
  createAccountTestKit,
  createVerifiedUser,
  enableTotpFor,
  totpCode,
  type AccountTestKit,
} from '../accounts/testing/account-test-kit';
import type { ThrottleSettings } from '../config';

const PASSWORD = 'a sturdy passphrase 42';
const WRONG = 'not the passphrase 42';
const SETTINGS: ThrottleSettings = {
  account: { freeFailures: 3, initialDelaySeconds: 1, maxDelaySeconds: 60, windowSeconds: 600 },
  ip: { freeFailures: 8, initialDelaySeconds: 1, maxDelaySeconds: 60, windowSeconds: 600 },
};

let kit: AccountTestKit;
let ipCounter = 0;

beforeAll(async () => {
  kit = await createAccountTestKit({ throttle: SETTINGS });
});
afterAll(async () => {
  await kit.close();
});

/** Another client address, so tests do not add up on one IP counter. */
function nextIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function attempt(email: string, password: string, ip: string) {
  return logIn({ input: { email, password }, context: { ip } }, kit.deps);
}

describe('password login', () => {
  it('answers 429 without checking the password once the free failures are spent', async () => {
    await createVerifiedUser(kit, { email: 'victim@example.com', password: PASSWORD });
    const ip = nextIp();
    for (let index = 0; index < 4; index += 1) {
      expect((await errorOf(attempt('victim@example.com', WRONG, ip))).code).toBe(
        'UNAUTHENTICATED',
      );
    }

    // Even the right password is not looked at during the delay.
    const refused = await errorOf(attempt('victim@example.com', PASSWORD, ip));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.headers).toEqual({ 'retry-after': '1' });
  });

  it('grows the delay with each failure, from any IP, and resets it after a success', async () => {
    await createVerifiedUser(kit, { email: 'grow@example.com', password: PASSWORD });
    for (let index = 0; index < 3; index += 1) {
      await errorOf(attempt('grow@example.com', WRONG, nextIp()));
    }
    const waits: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      await errorOf(attempt('grow@example.com', WRONG, nextIp()));
      const refused = await errorOf(attempt('grow@example.com', WRONG, nextIp()));
      waits.push(refused.headers?.['retry-after'] ?? '');
      kit.clock.advance(Number(refused.headers?.['retry-after']));
    }
    expect(waits).toEqual(['1', '2', '4', '8']);

    expect((await attempt('grow@example.com', PASSWORD, nextIp())).status).toBe('authenticated');
    // Forgotten: three free failures again.
    for (let index = 0; index < 3; index += 1) {
      expect((await errorOf(attempt('grow@example.com', WRONG, nextIp()))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
  });

  it('delays unknown addresses exactly like known ones', async () => {
    const ip = nextIp();
    for (let index = 0; index < 4; index += 1) {
      await errorOf(attempt('nobody@example.com', WRONG, ip));
    }

    expect((await errorOf(attempt('nobody@example.com', WRONG, ip))).code).toBe('RATE_LIMITED');
  });

  it('forgets the failures a window after the last one: never a lockout', async () => {
    await createVerifiedUser(kit, { email: 'patient@example.com', password: PASSWORD });
    for (let index = 0; index < 10; index += 1) {
      await errorOf(attempt('patient@example.com', WRONG, nextIp()));
      kit.clock.advance(SETTINGS.account.maxDelaySeconds);
    }
    kit.clock.advance(SETTINGS.account.windowSeconds);

    expect((await attempt('patient@example.com', PASSWORD, nextIp())).status).toBe('authenticated');
  });

  it('delays an IP that fails on many addresses, not the same addresses from elsewhere', async () => {
    await createVerifiedUser(kit, { email: 'bystander@example.com', password: PASSWORD });
    const attacker = nextIp();
    for (let index = 0; index < 9; index += 1) {
      await errorOf(attempt(`spray${index}@example.com`, WRONG, attacker));
    }

    expect((await errorOf(attempt('bystander@example.com', PASSWORD, attacker))).code).toBe(
      'RATE_LIMITED',
    );
    expect((await attempt('bystander@example.com', PASSWORD, nextIp())).status).toBe(
      'authenticated',
    );
  });
});

describe('second factor', () => {
  it('delays wrong codes per user across challenges, and resets after a right one', async () => {
    const user = await createVerifiedUser(kit, { email: 'codes@example.com', password: PASSWORD });
    const { secret } = await enableTotpFor(kit, user.id);
    const ip = nextIp();
    const challenge = async () => {
      const result = await logIn(
        { input: { email: 'codes@example.com', password: PASSWORD }, context: { ip } },
        kit.deps,
      );
      if (result.status !== 'two_factor_required') throw new Error('expected a challenge');
      return result.challengeToken;
    };
    const tryCode = async (code: string) =>
      completeTwoFactorLogin(
        { input: { challengeToken: await challenge(), code }, context: { ip } },
        kit.deps,
      );

    for (let index = 0; index < 4; index += 1) {
      expect((await errorOf(tryCode('000000'))).details).toMatchObject({
        reason: 'invalid_two_factor_code',
      });
    }
    const refused = await errorOf(tryCode(await totpCode(secret, kit.clock.now())));
    expect(refused.code).toBe('RATE_LIMITED');

    kit.clock.advance(30);
    expect((await tryCode(await totpCode(secret, kit.clock.now()))).status).toBe('authenticated');
    expect((await errorOf(tryCode('000000'))).code).toBe('UNAUTHENTICATED');
  });

  it('counts wrong re-authentication passwords with the login failures of the account', async () => {
    const user = await createVerifiedUser(kit, { email: 'reauth@example.com', password: PASSWORD });
    const session = await logIn(
      { input: { email: 'reauth@example.com', password: PASSWORD } },
      kit.deps,
    );
    if (session.status !== 'authenticated') throw new Error('expected a session');
    const ip = nextIp();
    for (let index = 0; index < 4; index += 1) {
      await errorOf(
        reauthenticate(
          {
            userId: user.id,
            sessionId: session.session.session.id,
            input: { password: WRONG },
            context: { ip },
          },
          kit.deps,
        ),
      );
    }

    expect((await errorOf(attempt('reauth@example.com', PASSWORD, nextIp()))).code).toBe(
      'RATE_LIMITED',
    );
  });
});
