import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '@switchyard/auth';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createUser } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../../app';
import {
  ACCESS_COOKIE,
  CSRF_COOKIE,
  CSRF_HEADER,
  REFRESH_COOKIE,
} from '../../plugins/session-cookies';
import { createTestConfig, LOCAL_REDIS_URL } from '../../testing/test-app';

const logger = createLogger({ name: 'api', level: 'silent' });
const WEB_ORIGIN = 'http://localhost:3000';
let testDb: TestDatabase;
let redis: Redis;
let app: App;

beforeAll(async () => {
  testDb = await createTestDatabase();
  redis = createTestRedis();
  const config = createTestConfig({
    DATABASE_URL: testDb.url,
    REDIS_URL: LOCAL_REDIS_URL,
    PUBLIC_URL: WEB_ORIGIN,
  });
  app = await buildApp(config, { database: { db: testDb.db, pool: testDb.pool }, redis, logger });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await closeTestRedis(redis);
  await testDb.drop();
});

async function signIn(userId?: string) {
  const id =
    userId ??
    (await createUser(testDb.db, { email: `${randomUUID()}@example.test`, name: 'U' })).id;
  const tokens = await createSession(
    { userId: id, method: 'password', twoFactorVerified: false, userAgent: 'curl/8.5.0' },
    app.authDeps,
  );
  return { userId: id, ...tokens, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}

/** The access-token TTL (600 s), give or take the second boundary crossed while answering. */
function expectAboutTenMinutes(seconds: unknown) {
  expect(seconds).toBeGreaterThanOrEqual(599);
  expect(seconds).toBeLessThanOrEqual(600);
}

function getMe(authorization: string) {
  return app.inject({ method: 'GET', url: '/v1/me/sessions', headers: { authorization } });
}

describe('POST /v1/auth/refresh (token mode)', () => {
  it('rotates the refresh token and returns new tokens', async () => {
    const { refreshToken } = await signIn();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ tokenType: 'Bearer' });
    expectAboutTenMinutes(body.expiresIn);
    expect(body.refreshToken).not.toBe(refreshToken);
    expect((await getMe(`Bearer ${String(body.accessToken)}`)).statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('revokes the family when an old refresh token is replayed', async () => {
    const { refreshToken } = await signIn();
    const first = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken },
    });
    const rotated = first.json<{ refreshToken: string; accessToken: string }>();

    const replay = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    const newest = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(newest.statusCode).toBe(401);
    expect((await getMe(`Bearer ${rotated.accessToken}`)).statusCode).toBe(401);
  });

  it('answers 401 without any refresh token', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/auth/refresh' });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /v1/auth/refresh (cookie mode)', () => {
  it('sets __Host- cookies: Secure, HttpOnly except the CSRF one, SameSite as specified', async () => {
    const { refreshToken } = await signIn();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      cookies: { [REFRESH_COOKIE]: refreshToken, [CSRF_COOKIE]: 'csrf' },
      headers: { origin: WEB_ORIGIN, [CSRF_HEADER]: 'csrf' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(['expiresIn']);
    expectAboutTenMinutes(body.expiresIn);

    const cookies = new Map(response.cookies.map((cookie) => [cookie.name, cookie]));
    expect([...cookies.keys()].sort()).toEqual([ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE].sort());
    for (const cookie of cookies.values()) {
      expect(cookie.name.startsWith('__Host-')).toBe(true);
      expect(cookie).toMatchObject({ secure: true, path: '/' });
      expect(cookie).not.toHaveProperty('domain');
    }
    expect(cookies.get(ACCESS_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expectAboutTenMinutes(cookies.get(ACCESS_COOKIE)?.maxAge);
    expect(cookies.get(REFRESH_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.get(CSRF_COOKIE)?.httpOnly).toBeFalsy();
    expect(cookies.get(CSRF_COOKIE)?.sameSite).toBe('Strict');

    // The new cookies work: a GET with the access cookie, a POST with the CSRF pair.
    const access = cookies.get(ACCESS_COOKIE)?.value ?? '';
    const csrf = cookies.get(CSRF_COOKIE)?.value ?? '';
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me/sessions',
      cookies: { [ACCESS_COOKIE]: access },
    });
    expect(me.statusCode).toBe(200);
    const logout = await app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      cookies: { [ACCESS_COOKIE]: access, [CSRF_COOKIE]: csrf },
      headers: { origin: WEB_ORIGIN, [CSRF_HEADER]: csrf },
    });
    expect(logout.statusCode).toBe(204);
    const cleared = new Map(logout.cookies.map((cookie) => [cookie.name, cookie]));
    for (const name of [ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE]) {
      expect(cleared.get(name)?.value, name).toBe('');
      expect(cleared.get(name)?.expires?.getTime(), name).toBeLessThan(Date.now());
    }
  });

  it('refuses the refresh cookie without the CSRF header or from a foreign origin', async () => {
    const { refreshToken } = await signIn();
    const cookies = { [REFRESH_COOKIE]: refreshToken, [CSRF_COOKIE]: 'csrf' };
    for (const headers of [
      { origin: WEB_ORIGIN },
      { origin: 'https://evil.example', [CSRF_HEADER]: 'csrf' },
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        cookies,
        headers,
      });
      expect(response.statusCode).toBe(403);
    }
    // The token was not consumed by the refused attempts.
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      cookies,
      headers: { origin: WEB_ORIGIN, [CSRF_HEADER]: 'csrf' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('clears the cookies when the refresh cookie is no longer valid', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      cookies: { [REFRESH_COOKIE]: 'x'.repeat(43), [CSRF_COOKIE]: 'csrf' },
      headers: { origin: WEB_ORIGIN, [CSRF_HEADER]: 'csrf' },
    });
    expect(response.statusCode).toBe(401);
    const names = response.cookies.filter((cookie) => cookie.value === '').map((c) => c.name);
    expect(names.sort()).toEqual([ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE].sort());
  });
});

describe('logout', () => {
  it('POST /v1/auth/logout ends the session: its access and refresh tokens stop working', async () => {
    const { headers, refreshToken } = await signIn();
    const response = await app.inject({ method: 'POST', url: '/v1/auth/logout', headers });
    expect(response.statusCode).toBe(204);
    expect((await getMe(headers.authorization)).statusCode).toBe(401);
    const refresh = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('POST /v1/auth/logout-all ends every session, or every other one with keepCurrent', async () => {
    const first = await signIn();
    const second = await signIn(first.userId);
    const third = await signIn(first.userId);

    const keep = await app.inject({
      method: 'POST',
      url: '/v1/auth/logout-all',
      headers: first.headers,
      payload: { keepCurrent: true },
    });
    expect(keep.json()).toEqual({ revokedCount: 2 });
    expect((await getMe(first.headers.authorization)).statusCode).toBe(200);
    expect((await getMe(second.headers.authorization)).statusCode).toBe(401);
    expect((await getMe(third.headers.authorization)).statusCode).toBe(401);

    const all = await app.inject({
      method: 'POST',
      url: '/v1/auth/logout-all',
      headers: first.headers,
    });
    expect(all.json()).toEqual({ revokedCount: 1 });
    expect((await getMe(first.headers.authorization)).statusCode).toBe(401);
  });
});

describe('GET /v1/me/sessions and DELETE /v1/me/sessions/:sessionId', () => {
  it('lists the active sessions with the current one flagged', async () => {
    const first = await signIn();
    const second = await signIn(first.userId);
    const response = await getMe(first.headers.authorization);
    const { sessions } = response.json<{ sessions: Array<Record<string, unknown>> }>();
    expect(sessions.map((session) => session.id).sort()).toEqual(
      [first.session.id, second.session.id].sort(),
    );
    expect(sessions.find((session) => session.current)).toMatchObject({
      id: first.session.id,
      device: 'curl',
    });
  });

  it('ends one of your sessions; another user’s is answered 404', async () => {
    const first = await signIn();
    const second = await signIn(first.userId);
    const stranger = await signIn();

    const foreign = await app.inject({
      method: 'DELETE',
      url: `/v1/me/sessions/${stranger.session.id}`,
      headers: first.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await getMe(stranger.headers.authorization)).statusCode).toBe(200);

    const malformed = await app.inject({
      method: 'DELETE',
      url: '/v1/me/sessions/not-a-uuid',
      headers: first.headers,
    });
    expect(malformed.statusCode).toBe(400);

    const own = await app.inject({
      method: 'DELETE',
      url: `/v1/me/sessions/${second.session.id}`,
      headers: first.headers,
    });
    expect(own.statusCode).toBe(204);
    expect((await getMe(second.headers.authorization)).statusCode).toBe(401);
    expect((await getMe(first.headers.authorization)).statusCode).toBe(200);
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the public key of issued tokens, never a private part', async () => {
    const { accessToken } = await signIn();
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = response.json<{ keys: Array<Record<string, unknown>> }>();
    const header = accessToken.split('.')[0] ?? '';
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    expect(keys.find((key) => key.kid === kid)).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
    });
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});
