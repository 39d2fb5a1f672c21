import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createSession, toMemberActor } from '@switchyard/auth';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import {
  createMembership,
  createOrganization,
  createUser,
  type MembershipRole,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import { createTestConfig, LOCAL_REDIS_URL } from '../testing/test-app';
import { authenticatePlugin, type RoutePolicy } from './authenticate';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER } from './session-cookies';

const logger = createLogger({ name: 'api', level: 'silent' });
const WEB_ORIGIN = 'http://localhost:3000';
let testDb: TestDatabase;
let redis: Redis;
const apps: App[] = [];
const clients: Redis[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  redis = createTestRedis();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await closeTestRedis(redis);
  await testDb.drop();
});

const TEST_ROUTES: Array<{ method: 'GET' | 'POST'; url: string; policy: RoutePolicy }> = [
  { method: 'GET', url: '/test/public', policy: { kind: 'public' } },
  { method: 'GET', url: '/test/me', policy: { kind: 'authenticated' } },
  { method: 'POST', url: '/test/me', policy: { kind: 'authenticated' } },
  { method: 'POST', url: '/test/sensitive', policy: { kind: 'recent-auth' } },
  {
    method: 'GET',
    url: '/test/orgs/:orgId',
    policy: { kind: 'org', permission: 'org:read', allowApiKey: true },
  },
  { method: 'POST', url: '/test/orgs/:orgId', policy: { kind: 'org', permission: 'org:update' } },
];

/** One API instance with routes of every policy; each instance has its own Redis client. */
async function startApp(): Promise<App> {
  // Same key prefix as `redis`: instances share Redis like separate processes would.
  const client = redis.duplicate();
  clients.push(client);
  const config = createTestConfig({
    DATABASE_URL: testDb.url,
    REDIS_URL: LOCAL_REDIS_URL,
    PUBLIC_URL: WEB_ORIGIN,
  });
  const app = await buildApp(config, {
    database: { db: testDb.db, pool: testDb.pool },
    redis: client,
    logger,
  });
  apps.push(app);
  for (const route of TEST_ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      config: { policy: route.policy },
      handler: async (request) => ({ auth: request.auth.kind, org: request.org?.orgId ?? null }),
    });
  }
  await app.ready();
  await app.sessionRevocationListener.subscribed();
  return app;
}

async function createTestUser(): Promise<string> {
  const user = await createUser(testDb.db, { email: `${randomUUID()}@example.test`, name: 'U' });
  return user.id;
}

async function signIn(app: App, options: { userId?: string; twoFactorVerified?: boolean } = {}) {
  const userId = options.userId ?? (await createTestUser());
  const tokens = await createSession(
    { userId, method: 'password', twoFactorVerified: options.twoFactorVerified ?? false },
    app.authDeps,
  );
  return { userId, ...tokens, authorization: `Bearer ${tokens.accessToken}` };
}

async function createOrgWith(userId: string, role: MembershipRole, requireTwoFactor = false) {
  const org = await createOrganization(testDb.db, { name: 'Org', slug: `org-${randomUUID()}` });
  if (requireTwoFactor) {
    await testDb.pool.query('update organizations set require_two_factor = true where id = $1', [
      org.id,
    ]);
  }
  await createMembership(testDb.db, { orgId: org.id, userId, role });
  return org.id;
}

describe('route policy guard', () => {
  it('refuses to start with a route that declares no policy', async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    await app.register(authenticatePlugin, {
      config: createTestConfig(),
      deps: { db: testDb.db, redis: redis.duplicate(), log: logger },
    });
    clients.push(app.authDeps.redis);
    apps.push(app);
    expect(() => app.get('/open', async () => 'oops')).toThrow(/declares no auth policy/);
    expect(() =>
      app.get(
        '/orgs/:id',
        { config: { policy: { kind: 'org', permission: 'org:read' } } },
        async () => 'x',
      ),
    ).toThrow(/no :orgId/);
    expect(() =>
      app.get('/fine', { config: { policy: { kind: 'public' } } }, async () => 'ok'),
    ).not.toThrow();
  });

  it('gives every route of the real app a policy (the app starts)', async () => {
    const app = await startApp();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });
});

describe('bearer authentication', () => {
  it('accepts a valid access token and refuses a missing, malformed or forged one', async () => {
    const app = await startApp();
    const { authorization, accessToken } = await signIn(app);

    const ok = await app.inject({ method: 'GET', url: '/test/me', headers: { authorization } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ auth: 'user', org: null });

    const missing = await app.inject({ method: 'GET', url: '/test/me' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');

    const [header, payload] = accessToken.split('.');
    for (const value of [
      'Basic dXNlcjpwYXNz',
      'Bearer not-a-token',
      `Bearer ${header}.${payload}.`,
      `Bearer ${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`,
    ]) {
      const refused = await app.inject({
        method: 'GET',
        url: '/test/me',
        headers: { authorization: value },
      });
      expect(refused.statusCode, value).toBe(401);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('needs no CSRF token but refuses a foreign Origin on mutations', async () => {
    const app = await startApp();
    const { authorization } = await signIn(app);
    const ok = await app.inject({ method: 'POST', url: '/test/me', headers: { authorization } });
    expect(ok.statusCode).toBe(200);
    const foreign = await app.inject({
      method: 'POST',
      url: '/test/me',
      headers: { authorization, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ reason: 'origin_not_allowed' });
  });

  it('leaves public routes open and anonymous', async () => {
    const app = await startApp();
    const response = await app.inject({
      method: 'GET',
      url: '/test/public',
      headers: { authorization: 'Bearer garbage' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'anonymous', org: null });
  });
});

describe('revocation', () => {
  it("refuses a revoked session's token on the very next request to another instance", async () => {
    const [appA, appB] = [await startApp(), await startApp()];
    const { authorization, session } = await signIn(appA);
    const headers = { authorization };

    // Warm both instances: token verification and the session are now cached in each.
    for (const app of [appA, appB]) {
      expect((await app.inject({ method: 'GET', url: '/test/me', headers })).statusCode).toBe(200);
    }
    // Proof that B answers from memory: a change behind the caches' back goes unnoticed.
    await testDb.pool.query('update sessions set revoked_at = now() where id = $1', [session.id]);
    await redis.del(`sess:${session.id}`);
    expect((await appB.inject({ method: 'GET', url: '/test/me', headers })).statusCode).toBe(200);
    await testDb.pool.query('update sessions set revoked_at = null where id = $1', [session.id]);

    // The user logs out on A; B refuses the same token on the next request.
    const logout = await appA.inject({ method: 'POST', url: '/v1/auth/logout', headers });
    expect(logout.statusCode).toBe(204);
    const after = await appB.inject({ method: 'GET', url: '/test/me', headers });
    expect(after.statusCode).toBe(401);
    expect((await appA.inject({ method: 'GET', url: '/test/me', headers })).statusCode).toBe(401);
  });
});

describe('cookie authentication and CSRF', () => {
  async function cookieSession(app: App) {
    const { accessToken } = await signIn(app);
    return { [ACCESS_COOKIE]: accessToken, [CSRF_COOKIE]: 'csrf-token-value' };
  }

  it('authenticates GET requests by cookie without a CSRF token', async () => {
    const app = await startApp();
    const cookies = await cookieSession(app);
    const response = await app.inject({ method: 'GET', url: '/test/me', cookies });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated POST without the CSRF header, with a wrong one, or from a foreign origin', async () => {
    const app = await startApp();
    const cookies = await cookieSession(app);
    const attempts: Array<Record<string, string>> = [
      { origin: WEB_ORIGIN },
      { origin: WEB_ORIGIN, [CSRF_HEADER]: 'another-value' },
      { origin: 'https://evil.example', [CSRF_HEADER]: 'csrf-token-value' },
      { [CSRF_HEADER]: 'csrf-token-value' },
    ];
    for (const headers of attempts) {
      const response = await app.inject({ method: 'POST', url: '/test/me', cookies, headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
    }
    const ok = await app.inject({
      method: 'POST',
      url: '/test/me',
      cookies,
      headers: { origin: WEB_ORIGIN, [CSRF_HEADER]: 'csrf-token-value' },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('org policy', () => {
  it('answers 404 to non-members, 403 without the permission, 200 with it', async () => {
    const app = await startApp();
    const viewer = await signIn(app);
    const outsider = await signIn(app);
    const orgId = await createOrgWith(viewer.userId, 'viewer');

    const read = await app.inject({
      method: 'GET',
      url: `/test/orgs/${orgId}`,
      headers: { authorization: viewer.authorization },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ auth: 'user', org: orgId });

    const update = await app.inject({
      method: 'POST',
      url: `/test/orgs/${orgId}`,
      headers: { authorization: viewer.authorization },
    });
    expect(update.statusCode).toBe(403);

    for (const url of [`/test/orgs/${orgId}`, `/test/orgs/${randomUUID()}`, '/test/orgs/nope']) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: outsider.authorization },
      });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it("enforces the org's two-factor requirement", async () => {
    const app = await startApp();
    const userId = await createTestUser();
    const orgId = await createOrgWith(userId, 'owner', true);
    const withoutTotp = await signIn(app, { userId, twoFactorVerified: false });
    const refused = await app.inject({
      method: 'GET',
      url: `/test/orgs/${orgId}`,
      headers: { authorization: withoutTotp.authorization },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ reason: 'two_factor_required' });
    const withTotp = await signIn(app, { userId, twoFactorVerified: true });
    const allowed = await app.inject({
      method: 'GET',
      url: `/test/orgs/${orgId}`,
      headers: { authorization: withTotp.authorization },
    });
    expect(allowed.statusCode).toBe(200);
  });

  it('lets an API key reach only its own org, with its scopes, on routes that allow keys', async () => {
    const app = await startApp();
    const owner = await createTestUser();
    const orgId = await createOrgWith(owner, 'owner');
    const otherOrgId = await createOrgWith(owner, 'owner');
    const { key } = await createApiKey(
      {
        actor: toMemberActor({ orgId, userId: owner, role: 'owner' }),
        orgId,
        input: { name: 'ci', scopes: ['org:read'] },
      },
      app.authDeps,
    );
    const headers = { authorization: `Bearer ${key}` };
    const ok = await app.inject({ method: 'GET', url: `/test/orgs/${orgId}`, headers });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ auth: 'api_key', org: orgId });
    const otherOrg = await app.inject({ method: 'GET', url: `/test/orgs/${otherOrgId}`, headers });
    expect(otherOrg.statusCode).toBe(404);
    const keysNotAllowed = await app.inject({
      method: 'POST',
      url: `/test/orgs/${orgId}`,
      headers,
    });
    expect(keysNotAllowed.statusCode).toBe(403);
    const userRoute = await app.inject({ method: 'GET', url: '/test/me', headers });
    expect(userRoute.statusCode).toBe(403);
    const wrongKey = await app.inject({
      method: 'GET',
      url: `/test/orgs/${orgId}`,
      headers: { authorization: `${headers.authorization}x` },
    });
    expect(wrongKey.statusCode).toBe(401);
  });
});

describe('recent-auth policy', () => {
  it('requires authentication within the re-authentication window', async () => {
    const app = await startApp();
    const fresh = await signIn(app);
    const ok = await app.inject({
      method: 'POST',
      url: '/test/sensitive',
      headers: { authorization: fresh.authorization },
    });
    expect(ok.statusCode).toBe(200);

    const stale = await signIn(app);
    await testDb.pool.query(
      "update sessions set authenticated_at = now() - interval '1 hour' where id = $1",
      [stale.session.id],
    );
    const refused = await app.inject({
      method: 'POST',
      url: '/test/sensitive',
      headers: { authorization: stale.authorization },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ reason: 'reauthentication_required' });
  });
});
