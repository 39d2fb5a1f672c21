import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createIdentityTestApp,
  PASSWORD,
  signUpAndLogIn,
  totp,
  type IdentityTestApp,
} from './testing/identity-test-app';

let t: IdentityTestApp;

beforeAll(async () => {
  t = await createIdentityTestApp({ ACCESS_TOKEN_TTL_SECONDS: '7200' });
});
afterAll(async () => {
  await t.close();
});

function post(url: string, accessToken: string, payload: object = {}) {
  return t.app.inject({ method: 'POST', url, headers: bearer(accessToken), payload });
}

describe('two-factor routes', () => {
  it('enrols with a QR code and a confirmed code, returning ten recovery codes', async () => {
    const session = await signUpAndLogIn(t, 'enrol@example.com');

    const setup = await post('/v1/me/two-factor/setup', session.accessToken);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrCodeDataUrl } = setup.json<Record<string, string>>();
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const wrong = await post('/v1/me/two-factor/enable', session.accessToken, { code: '000000' });
    const enable = await post('/v1/me/two-factor/enable', session.accessToken, {
      code: totp(secret ?? '', t.clock.now()),
    });

    expect(wrong.statusCode).toBe(400);
    expect(enable.statusCode).toBe(200);
    expect(enable.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(session.accessToken),
    });
    expect(me.json()).toMatchObject({ twoFactorEnabled: true, recoveryCodesRemaining: 10 });
  });

  it('setup, disable and new recovery codes need a recent authentication', async () => {
    const session = await signUpAndLogIn(t, 'stale-2fa@example.com');
    t.clock.advance(601);

    for (const url of [
      '/v1/me/two-factor/setup',
      '/v1/me/two-factor/disable',
      '/v1/me/two-factor/recovery-codes',
    ]) {
      const response = await post(url, session.accessToken);
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toMatchObject({ reason: 'reauthentication_required' });
    }
  });

  it('regenerates recovery codes and disables with one of them', async () => {
    const session = await signUpAndLogIn(t, 'off@example.com');
    const setup = await post('/v1/me/two-factor/setup', session.accessToken);
    const { secret = '' } = setup.json<Record<string, string>>();
    await post('/v1/me/two-factor/enable', session.accessToken, {
      code: totp(secret, t.clock.now()),
    });
    t.clock.advance(30);

    const codes = await post('/v1/me/two-factor/recovery-codes', session.accessToken);
    expect(codes.statusCode).toBe(200);
    const [recoveryCode] = codes.json<{ recoveryCodes: string[] }>().recoveryCodes;

    const withoutCode = await post('/v1/me/two-factor/disable', session.accessToken);
    const disabled = await post('/v1/me/two-factor/disable', session.accessToken, {
      recoveryCode,
    });

    expect(withoutCode.statusCode).toBe(400);
    expect(withoutCode.json()).toMatchObject({ reason: 'two_factor_required' });
    expect(disabled.statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'off@example.com', password: PASSWORD },
    });
    expect(login.json()).toMatchObject({ status: 'authenticated' });
  });
});
