import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, closeTestRedis } from '@switchyard/auth/testing';
import {
  startFakeGithub,
  startTestOidcProvider,
  type FakeGithub,
  type FakeGithubUser,
  type TestOidcAccount,
  type TestOidcProvider,
} from '@switchyard/auth/testing/oauth';
import {
  createUser,
  enableTotpCredential,
  getUserByEmail,
  listOAuthAccountsForUser,
  upsertPendingTotpCredential,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../../../app';
import { createTestConfig } from '../../../testing/test-app';

const PUBLIC_URL = 'http://localhost:3000';
const OIDC_CALLBACK = `${PUBLIC_URL}/api/v1/auth/oauth/oidc/callback`;
const GITHUB_CALLBACK = `${PUBLIC_URL}/api/v1/auth/oauth/github/callback`;
const SESSION_COOKIES = ['__Host-sy_access', '__Host-sy_refresh', '__Host-sy_csrf'];

let database: TestDatabase;
let redis: Redis;
let idp: TestOidcProvider;
let github: FakeGithub;
let app: App;
const logger = createLogger({ name: 'api', level: 'silent' });

function oauthEnv(): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    PUBLIC_URL,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_DISPLAY_NAME: 'Test SSO',
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_OAUTH_BASE_URL: github.oauthBaseUrl,
    GITHUB_API_BASE_URL: github.apiBaseUrl,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createTestRedis();
  idp = await startTestOidcProvider({ redirectUris: [OIDC_CALLBACK] });
  github = await startFakeGithub();
  app = await buildApp(createTestConfig(oauthEnv()), {
    database: { db: database.db, pool: database.pool },
    redis,
    logger,
  });
  await app.ready();
});
afterEach(() => idp.setTokenResponseTransform(undefined));
afterAll(async () => {
  await app?.close();
  await Promise.all([idp?.close(), github?.close()]);
  if (redis) await closeTestRedis(redis);
  await database?.drop();
});

/** The claims of a JWT, unverified: the tests only read what the server itself issued. */
function decodeJwt(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

let nextSubject = 0;
function account(overrides: Partial<TestOidcAccount>): TestOidcAccount {
  nextSubject += 1;
  return { sub: `api-oidc-${nextSubject}`, name: 'Test Person', ...overrides };
}

type Started = { location: URL; oauthCookie: string };

async function start(provider: string, redirectTo?: string): Promise<Started> {
  const query = redirectTo === undefined ? '' : `?${new URLSearchParams({ redirectTo })}`;
  const response = await app.inject({
    method: 'GET',
    url: `/v1/auth/oauth/${provider}/start${query}`,
  });
  expect(response.statusCode).toBe(302);
  const cookie = response.cookies.find((entry) => entry.name === '__Host-sy_oauth');
  if (!cookie) throw new Error('no oauth cookie');
  return { location: new URL(String(response.headers.location)), oauthCookie: cookie.value };
}

/** The provider's redirect back, as the web app's `/api` proxy hands it to the API. */
function callback(returned: URL, cookies: Record<string, string>) {
  const path = returned.pathname.replace(/^\/api/, '');
  return app.inject({ method: 'GET', url: `${path}${returned.search}`, cookies });
}

async function signInWithOidc(person: TestOidcAccount, redirectTo?: string) {
  const started = await start('oidc', redirectTo);
  const returned = await idp.authorize(started.location.toString(), person);
  return callback(returned, { '__Host-sy_oauth': started.oauthCookie });
}

function setCookieNames(response: { cookies: Array<{ name: string; value: string }> }): string[] {
  return response.cookies.filter((cookie) => cookie.value !== '').map((cookie) => cookie.name);
}

function refusedWith(response: Awaited<ReturnType<typeof callback>>, reason: string): void {
  expect(response.statusCode).toBe(302);
  expect(response.headers.location).toBe(`${PUBLIC_URL}/login?oauthError=${reason}`);
  expect(setCookieNames(response)).not.toEqual(expect.arrayContaining(['__Host-sy_access']));
}

describe('GET /v1/auth/oauth/providers', () => {
  it('lists the configured providers without their credentials', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/auth/oauth/providers' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      providers: [
        { id: 'github', kind: 'github', displayName: 'GitHub' },
        { id: 'oidc', kind: 'oidc', displayName: 'Test SSO' },
      ],
    });
    expect(response.body).not.toContain(idp.clientSecret);
  });
});

describe('GET /v1/auth/oauth/:provider/start', () => {
  it('redirects to the provider with PKCE S256, state and nonce bound to an encrypted cookie', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/auth/oauth/oidc/start?redirectTo=%2Faccount',
    });

    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('redirect_uri')).toBe(OIDC_CALLBACK);
    const state = location.searchParams.get('state') ?? '';
    const nonce = location.searchParams.get('nonce') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(nonce.length).toBeGreaterThanOrEqual(43);
    const cookie = response.cookies.find((entry) => entry.name === '__Host-sy_oauth');
    expect(cookie).toMatchObject({
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      maxAge: 600,
    });
    expect(cookie?.value).not.toContain(state);
    expect(cookie?.value).not.toContain('account');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    'https://evil.example/phish',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
  ])('refuses redirectTo=%s as an open redirect', async (redirectTo) => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/auth/oauth/oidc/start?${new URLSearchParams({ redirectTo })}`,
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(response.headers.location).toBeUndefined();
  });

  it('answers 404 for a provider that is not configured', async () => {
    const startResponse = await app.inject({ method: 'GET', url: '/v1/auth/oauth/google/start' });
    const callbackResponse = await app.inject({
      method: 'GET',
      url: '/v1/auth/oauth/google/callback?code=x&state=y',
    });

    expect(startResponse.statusCode).toBe(404);
    expect(callbackResponse.statusCode).toBe(404);
  });
});

describe('GET /v1/auth/oauth/oidc/callback', () => {
  it('signs a new user in with session cookies and lands on the requested page', async () => {
    const response = await signInWithOidc(
      account({ email: 'ada@example.com', emailVerified: true, name: 'Ada' }),
      '/orgs?tab=all',
    );

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${PUBLIC_URL}/orgs?tab=all`);
    expect(setCookieNames(response)).toEqual(expect.arrayContaining(SESSION_COOKIES));
    const cleared = response.cookies.find((cookie) => cookie.name === '__Host-sy_oauth');
    expect(cleared?.value).toBe('');
    const access = response.cookies.find((cookie) => cookie.name === '__Host-sy_access');
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me/sessions',
      cookies: { '__Host-sy_access': access?.value ?? '' },
    });
    expect(me.statusCode).toBe(200);
    const user = await getUserByEmail(database.db, { email: 'ada@example.com' });
    expect(decodeJwt(access?.value ?? '').sub).toBe(user?.id);
    expect(user?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('refuses a callback whose state differs from the one sealed in the cookie', async () => {
    const started = await start('oidc');
    const returned = await idp.authorize(
      started.location.toString(),
      account({ email: 'state@example.com', emailVerified: true }),
    );
    returned.searchParams.set('state', 'attacker-state');

    const response = await callback(returned, { '__Host-sy_oauth': started.oauthCookie });

    refusedWith(response, 'state_mismatch');
    expect(await getUserByEmail(database.db, { email: 'state@example.com' })).toBeNull();
  });

  it('refuses a callback without the oauth cookie (another browser, login CSRF)', async () => {
    const started = await start('oidc');
    const returned = await idp.authorize(
      started.location.toString(),
      account({ email: 'nocookie@example.com', emailVerified: true }),
    );

    refusedWith(await callback(returned, {}), 'state_missing');
  });

  it("refuses a callback carrying another attempt's or a forged oauth cookie", async () => {
    const other = await start('oidc');
    const started = await start('oidc');
    const returned = await idp.authorize(
      started.location.toString(),
      account({ email: 'foreign@example.com', emailVerified: true }),
    );

    refusedWith(
      await callback(returned, { '__Host-sy_oauth': other.oauthCookie }),
      'state_mismatch',
    );
    refusedWith(
      await callback(returned, { '__Host-sy_oauth': 'v1.forged.cookie.value' }),
      'state_invalid',
    );
  });

  it('refuses an ID token whose nonce is not the one bound to this browser', async () => {
    const started = await start('oidc');
    started.location.searchParams.set('nonce', 'attacker-chosen-nonce');
    const returned = await idp.authorize(
      started.location.toString(),
      account({ email: 'nonce@example.com', emailVerified: true }),
    );

    const response = await callback(returned, { '__Host-sy_oauth': started.oauthCookie });

    refusedWith(response, 'response_invalid');
    expect(await getUserByEmail(database.db, { email: 'nonce@example.com' })).toBeNull();
  });

  it.each([
    ['audience', { aud: 'some-other-client' }],
    ['issuer', { iss: 'https://evil.example' }],
  ])('refuses a provider-signed ID token for the wrong %s', async (_name, claims) => {
    idp.setTokenResponseTransform(async (body) => ({
      ...body,
      id_token: await idp.signIdToken({ ...decodeJwt(String(body.id_token)), ...claims }),
    }));

    const response = await signInWithOidc(
      account({ email: `wrong-${_name}@example.com`, emailVerified: true }),
    );

    refusedWith(response, 'response_invalid');
  });

  it('links to an existing account when both sides verified the e-mail', async () => {
    const local = await createUser(database.db, {
      email: 'verified-both@example.com',
      name: 'Local',
      passwordHash: 'hash',
      emailVerifiedAt: new Date(),
    });

    const response = await signInWithOidc(
      account({ email: 'verified-both@example.com', emailVerified: true }),
    );

    expect(response.statusCode).toBe(302);
    const access = response.cookies.find((cookie) => cookie.name === '__Host-sy_access');
    expect(decodeJwt(access?.value ?? '').sub).toBe(local.id);
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toMatchObject([
      { provider: 'oidc' },
    ]);
  });

  it('does not link an existing account when the provider did not verify the e-mail', async () => {
    const local = await createUser(database.db, {
      email: 'victim@example.com',
      name: 'Victim',
      passwordHash: 'hash',
      emailVerifiedAt: new Date(),
    });

    const response = await signInWithOidc(
      account({ email: 'victim@example.com', emailVerified: false }),
    );

    refusedWith(response, 'account_exists');
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toEqual([]);
  });

  it('sends a user with TOTP to the second-factor page instead of signing them in', async () => {
    const user = await createUser(database.db, {
      email: 'totp-user@example.com',
      name: 'Totp',
      emailVerifiedAt: new Date(),
    });
    await upsertPendingTotpCredential(database.db, {
      userId: user.id,
      secretEncrypted: 'v1.a.b.c',
    });
    await enableTotpCredential(database.db, { userId: user.id, step: 1, now: new Date() });

    const response = await signInWithOidc(
      account({ email: 'totp-user@example.com', emailVerified: true }),
      '/account',
    );

    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${PUBLIC_URL}/login/two-factor`);
    expect(location.searchParams.get('challenge')).toMatch(/^[\w-]{43,}$/);
    expect(location.searchParams.get('redirectTo')).toBe('/account');
    expect(setCookieNames(response)).not.toEqual(expect.arrayContaining(['__Host-sy_access']));
  });
});

describe('GET /v1/auth/oauth/github/callback', () => {
  async function signInWithGithub(user: FakeGithubUser) {
    const started = await start('github');
    expect(started.location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(started.location.searchParams.get('redirect_uri')).toBe(GITHUB_CALLBACK);
    const returned = await github.authorize(started.location.toString(), user);
    return callback(returned, { '__Host-sy_oauth': started.oauthCookie });
  }

  it('signs a GitHub user with a verified primary address up', async () => {
    const response = await signInWithGithub({
      id: 4242,
      login: 'octo',
      emails: [{ email: 'octo@example.com', primary: true, verified: true }],
    });

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${PUBLIC_URL}/`);
    expect(setCookieNames(response)).toEqual(expect.arrayContaining(SESSION_COOKIES));
    const user = await getUserByEmail(database.db, { email: 'octo@example.com' });
    expect(user).toMatchObject({ name: 'octo' });
    expect(user?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('links a verified primary address to the verified account that has it', async () => {
    const local = await createUser(database.db, {
      email: 'hubber@example.com',
      name: 'Hubber',
      passwordHash: 'hash',
      emailVerifiedAt: new Date(),
    });

    const response = await signInWithGithub({
      id: 5151,
      login: 'hubber',
      emails: [{ email: 'hubber@example.com', primary: true, verified: true }],
    });

    const access = response.cookies.find((cookie) => cookie.name === '__Host-sy_access');
    expect(decodeJwt(access?.value ?? '').sub).toBe(local.id);
  });

  it('refuses to link an unverified primary address to an existing account', async () => {
    const local = await createUser(database.db, {
      email: 'maintainer@example.com',
      name: 'Maintainer',
      passwordHash: 'hash',
      emailVerifiedAt: new Date(),
    });

    const response = await signInWithGithub({
      id: 6666,
      login: 'impostor',
      emails: [{ email: 'maintainer@example.com', primary: true, verified: false }],
    });

    refusedWith(response, 'account_exists');
    expect(await listOAuthAccountsForUser(database.db, { userId: local.id })).toEqual([]);
  });
});
