import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, type RouteRateLimit } from './rate-limits';

const LIMITS: Record<string, RouteRateLimit> = DEFAULT_RATE_LIMITS;

describe('DEFAULT_RATE_LIMITS', () => {
  it('limits sign-in, sign-up, recovery, second-factor, key and invitation endpoints per IP', () => {
    const expected = [
      'POST /v1/auth/login',
      'POST /v1/auth/login/two-factor',
      'POST /v1/auth/signup',
      'POST /v1/auth/forgot-password',
      'POST /v1/auth/reset-password',
      'POST /v1/auth/resend-verification',
      'POST /v1/auth/verify-email',
      'POST /v1/auth/reauthenticate',
      'POST /v1/auth/refresh',
      'POST /v1/me/two-factor/setup',
      'POST /v1/me/two-factor/enable',
      'POST /v1/me/two-factor/disable',
      'POST /v1/me/two-factor/recovery-codes',
      'POST /v1/orgs/:orgId/api-keys',
      'DELETE /v1/orgs/:orgId/api-keys/:keyId',
      'DELETE /v1/api-keys/:keyId',
      'POST /v1/invitations/accept',
      'GET /v1/auth/oauth/:provider/start',
      'GET /v1/auth/oauth/:provider/callback',
    ];

    expect(Object.keys(LIMITS)).toEqual(expect.arrayContaining(expected));
  });

  it('also limits per account wherever the request names one', () => {
    const byEmail = ['signup', 'login', 'forgot-password', 'resend-verification'];
    for (const name of byEmail) {
      expect(LIMITS[`POST /v1/auth/${name}`]?.perAccount?.account).toBe('email');
    }
    const signedIn = Object.entries(LIMITS).filter(([name]) =>
      /\/v1\/(me|orgs|api-keys|invitations)\/|reauthenticate/.test(name),
    );
    for (const [name, limit] of signedIn) {
      expect({ name, account: limit.perAccount?.account }).toEqual({ name, account: 'user' });
    }
  });

  it('leaves room for people: an account limit never exceeds its IP limit, and both allow retries', () => {
    for (const [name, limit] of Object.entries(LIMITS)) {
      const perAccount = limit.perAccount;
      expect({ name, ok: limit.perIp.max >= 20 }).toEqual({ name, ok: true });
      if (!perAccount) continue;
      expect({ name, ok: perAccount.max >= 5 && perAccount.max <= limit.perIp.max }).toEqual({
        name,
        ok: true,
      });
    }
  });
});
