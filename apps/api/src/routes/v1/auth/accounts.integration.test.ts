import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUserByEmail, listMailMessages } from '@switchyard/database';
import {
  bearer,
  createIdentityTestApp,
  latestLink,
  latestMail,
  latestToken,
  PASSWORD,
  signUpAndLogIn,
  TEST_PUBLIC_URL,
  totp,
  type IdentityTestApp,
} from '../me/testing/identity-test-app';

let t: IdentityTestApp;

beforeAll(async () => {
  t = await createIdentityTestApp();
});
afterAll(async () => {
  await t.close();
});

function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, payload: payload as object, headers });
}

describe('POST /v1/auth/signup', () => {
  it('answers 202 alike for a new and an existing address, creating one account', async () => {
    const first = await post('/v1/auth/signup', { email: 'dup@example.com', password: PASSWORD });
    const second = await post('/v1/auth/signup', {
      email: 'DUP@example.com',
      password: 'a different passphrase 7',
    });

    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    const mails = await listMailMessages(t.database.db, { limit: 10, to: 'dup@example.com' });
    expect(mails.map((mail) => mail.subject).sort()).toEqual([
      'Confirm your e-mail address',
      'Someone tried to sign up with your e-mail address',
    ]);
  });

  it('refuses a common password with 400 naming the field', async () => {
    const response = await post('/v1/auth/signup', {
      email: 'weak@example.com',
      password: 'iloveyou',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ path: 'password' }] });
    expect(await getUserByEmail(t.database.db, { email: 'weak@example.com' })).toBeNull();
  });

  it('builds e-mail links from PUBLIC_URL, not from a forged Host or X-Forwarded-Host', async () => {
    const forged = {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
    };
    await post('/v1/auth/signup', { email: 'forged@example.com', password: PASSWORD }, forged);
    const verifyLink = await latestLink(t, 'forged@example.com');
    await post('/v1/auth/verify-email', { token: verifyLink.searchParams.get('token') });
    await post('/v1/auth/forgot-password', { email: 'forged@example.com' }, forged);
    const resetLink = await latestLink(t, 'forged@example.com');

    expect(verifyLink.origin).toBe(TEST_PUBLIC_URL);
    expect(resetLink.origin).toBe(TEST_PUBLIC_URL);
    const mail = await latestMail(t, 'forged@example.com');
    expect(`${mail.text}${mail.html ?? ''}`).not.toContain('evil.example');
  });
});

describe('POST /v1/auth/login', () => {
  it('gives the same 401 for an unknown address and for a wrong password', async () => {
    await signUpAndLogIn(t, 'same-error@example.com');

    const unknown = await post('/v1/auth/login', {
      email: 'nobody-here@example.com',
      password: PASSWORD,
    });
    const wrong = await post('/v1/auth/login', {
      email: 'same-error@example.com',
      password: 'not the right one',
    });

    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('in cookie mode sets the session cookies and returns no token in the body', async () => {
    await signUpAndLogIn(t, 'cookie@example.com');

    const response = await post('/v1/auth/login', {
      email: 'cookie@example.com',
      password: PASSWORD,
      mode: 'cookie',
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).not.toHaveProperty('accessToken');
    expect(response.json()).not.toHaveProperty('refreshToken');
    expect(response.cookies.map((cookie) => cookie.name).sort()).toEqual([
      '__Host-sy_access',
      '__Host-sy_csrf',
      '__Host-sy_refresh',
    ]);
  });

  it('with TOTP enabled, answers a challenge and finishes with a code', async () => {
    const session = await signUpAndLogIn(t, 'mfa-login@example.com');
    const secret = await enableTotp(session.accessToken);

    const first = await post('/v1/auth/login', {
      email: 'mfa-login@example.com',
      password: PASSWORD,
    });
    expect(first.json()).toMatchObject({ status: 'two_factor_required' });
    expect(first.json()).not.toHaveProperty('accessToken');
    const { challengeToken } = first.json<{ challengeToken: string }>();

    const done = await post('/v1/auth/login/two-factor', {
      challengeToken,
      code: totp(secret, t.clock.now()),
    });

    expect(done.statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(done.json<{ accessToken: string }>().accessToken),
    });
    expect(me.json()).toMatchObject({ twoFactorEnabled: true });
  });
});

describe('password reset', () => {
  it('answers 202 for unknown addresses too, sending nothing', async () => {
    const response = await post('/v1/auth/forgot-password', { email: 'ghost@example.com' });

    expect(response.statusCode).toBe(202);
    expect(await listMailMessages(t.database.db, { limit: 5, to: 'ghost@example.com' })).toEqual(
      [],
    );
  });

  it('with 2FA, fails without a code, succeeds with one, and ends every session', async () => {
    const session = await signUpAndLogIn(t, 'reset-mfa@example.com');
    const secret = await enableTotp(session.accessToken);
    await post('/v1/auth/forgot-password', { email: 'reset-mfa@example.com' });
    const token = await latestToken(t, 'reset-mfa@example.com');
    const newPassword = 'a brand new passphrase 99';

    const withoutCode = await post('/v1/auth/reset-password', { token, password: newPassword });
    const withCode = await post('/v1/auth/reset-password', {
      token,
      password: newPassword,
      code: totp(secret, t.clock.now()),
    });

    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json()).toMatchObject({ reason: 'two_factor_required' });
    expect(withCode.statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(session.accessToken),
    });
    expect(me.statusCode).toBe(401);
    const relogin = await post('/v1/auth/login', {
      email: 'reset-mfa@example.com',
      password: newPassword,
    });
    expect(relogin.json()).toMatchObject({ status: 'two_factor_required' });
  });
});

describe('POST /v1/auth/reauthenticate', () => {
  it('needs a signed-in user', async () => {
    const response = await post('/v1/auth/reauthenticate', { password: PASSWORD });

    expect(response.statusCode).toBe(401);
  });

  it('issues a new session and ends the old one', async () => {
    const old = await signUpAndLogIn(t, 'reauth@example.com');

    const response = await post(
      '/v1/auth/reauthenticate',
      { password: PASSWORD },
      bearer(old.accessToken),
    );

    expect(response.statusCode).toBe(200);
    const fresh = response.json<{ accessToken: string }>();
    expect(fresh.accessToken).not.toBe(old.accessToken);
    const withOld = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(old.accessToken),
    });
    const withNew = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(fresh.accessToken),
    });
    expect(withOld.statusCode).toBe(401);
    expect(withNew.statusCode).toBe(200);
  });

  it('refuses a wrong password with 400 and keeps the session', async () => {
    const session = await signUpAndLogIn(t, 'reauth-wrong@example.com');

    const response = await post(
      '/v1/auth/reauthenticate',
      { password: 'wrong password here' },
      bearer(session.accessToken),
    );

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ reason: 'invalid_password' });
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(session.accessToken),
    });
    expect(me.statusCode).toBe(200);
  });
});

/** Enrols TOTP through the API and moves the clock past the confirming code's step. */
async function enableTotp(accessToken: string): Promise<string> {
  const setup = await post('/v1/me/two-factor/setup', {}, bearer(accessToken));
  const { secret } = setup.json<{ secret: string }>();
  const enable = await post(
    '/v1/me/two-factor/enable',
    { code: totp(secret, t.clock.now()) },
    bearer(accessToken),
  );
  expect(enable.statusCode).toBe(200);
  t.clock.advance(30);
  return secret;
}
