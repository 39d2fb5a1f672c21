import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  enableTotpCredential,
  getUserByEmail,
  listAuditEvents,
  listMembershipsForUser,
  listOAuthAccountsForUser,
  upsertPendingTotpCredential,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { isAppError, type Redis } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import { getActiveSession } from '../sessions';
import {
  closeTestRedis,
  createTestAuthConfig,
  createTestLogger,
  createTestRedis,
} from '../testing';
import { buildOAuthProviderConfigs, getOAuthCallbackUrl } from './config';
import { completeOAuthLogin } from './complete-oauth-login';
import { startOAuthLogin } from './start-oauth-login';
import {
  startFakeGithub,
  startTestOidcProvider,
  type FakeGithub,
  type FakeGithubUser,
  type TestOidcAccount,
  type TestOidcProvider,
} from './testing';

const PUBLIC_URL = 'http://localhost:3000';

let database: TestDatabase;
let redis: Redis;
let idp: TestOidcProvider;
let github: FakeGithub;
let deps: AuthDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createTestRedis();
  idp = await startTestOidcProvider({
    redirectUris: [getOAuthCallbackUrl({ publicUrl: PUBLIC_URL }, 'oidc')],
  });
  github = await startFakeGithub();
  deps = {
    db: database.db,
    redis,
    log: createTestLogger(),
    config: createTestAuthConfig({
      publicUrl: PUBLIC_URL,
      oauth: {
        providers: buildOAuthProviderConfigs({
          oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
          github: {
            clientId: github.clientId,
            clientSecret: github.clientSecret,
            oauthBaseUrl: github.oauthBaseUrl,
            apiBaseUrl: github.apiBaseUrl,
          },
        }),
      },
    }),
  };
});
afterAll(async () => {
  await Promise.all([idp.close(), github.close()]);
  await closeTestRedis(redis);
  await database.drop();
});

let nextSubject = 1;
function oidcAccount(overrides: Partial<TestOidcAccount> = {}): TestOidcAccount {
  nextSubject += 1;
  return { sub: `oidc-${nextSubject}`, name: 'Test Person', ...overrides };
}

async function signInWithOidc(account: TestOidcAccount, options: { redirectTo?: string } = {}) {
  const start = await startOAuthLogin({ providerId: 'oidc', ...options }, deps);
  const callback = await idp.authorize(start.authorizationUrl, account);
  return completeOAuthLogin(
    {
      providerId: 'oidc',
      query: Object.fromEntries(callback.searchParams),
      stateCookie: start.stateCookie,
      context: { ip: '203.0.113.9', userAgent: 'vitest' },
    },
    deps,
  );
}

async function signInWithGithub(user: FakeGithubUser) {
  const start = await startOAuthLogin({ providerId: 'github' }, deps);
  const callback = await github.authorize(start.authorizationUrl, user);
  return completeOAuthLogin(
    {
      providerId: 'github',
      query: Object.fromEntries(callback.searchParams),
      stateCookie: start.stateCookie,
    },
    deps,
  );
}

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? `${error.code}:${String(error.details?.reason)}` : error;
  }
  return 'no error';
}

describe('completeOAuthLogin with an OpenID provider', () => {
  it('creates the account, starts an active session and returns to the requested page', async () => {
    const result = await signInWithOidc(
      oidcAccount({ email: 'grace@example.com', emailVerified: true, name: 'Grace Hopper' }),
      { redirectTo: '/orgs?tab=all' },
    );

    expect(result.status).toBe('authenticated');
    if (result.status !== 'authenticated') return;
    expect(result.redirectTo).toBe('/orgs?tab=all');
    expect(result.user).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      emailVerified: true,
    });
    expect(result.session.session).toMatchObject({
      method: 'oauth:oidc',
      twoFactorVerified: false,
      ip: '203.0.113.9',
    });
    expect(await getActiveSession(result.session.session.id, deps)).not.toBeNull();
    const [membership] = await listMembershipsForUser(database.db, { userId: result.user.id });
    const events = await listAuditEvents(database.db, {
      orgId: membership?.orgId ?? '',
      limit: 10,
    });
    expect(events.map((event) => [event.action, event.metadata])).toContainEqual([
      'auth.login.succeeded',
      { method: 'oauth', provider: 'oidc', outcome: 'created', twoFactor: false },
    ]);
  });

  it('refuses a callback whose state is not the one sealed in the cookie', async () => {
    const start = await startOAuthLogin({ providerId: 'oidc' }, deps);
    const callback = await idp.authorize(
      start.authorizationUrl,
      oidcAccount({ email: 's@example.com' }),
    );
    callback.searchParams.set('state', 'forged-state');

    const reason = await reasonOf(
      completeOAuthLogin(
        {
          providerId: 'oidc',
          query: Object.fromEntries(callback.searchParams),
          stateCookie: start.stateCookie,
        },
        deps,
      ),
    );

    expect(reason).toBe('BAD_REQUEST:state_mismatch');
    expect(await getUserByEmail(database.db, { email: 's@example.com' })).toBeNull();
  });

  it('refuses a callback without the cookie of the browser that started it', async () => {
    const start = await startOAuthLogin({ providerId: 'oidc' }, deps);
    const callback = await idp.authorize(
      start.authorizationUrl,
      oidcAccount({ email: 'c@example.com' }),
    );

    const reason = await reasonOf(
      completeOAuthLogin(
        {
          providerId: 'oidc',
          query: Object.fromEntries(callback.searchParams),
          stateCookie: undefined,
        },
        deps,
      ),
    );

    expect(reason).toBe('BAD_REQUEST:state_missing');
  });

  it('refuses the cookie of an attempt started with another provider', async () => {
    const githubStart = await startOAuthLogin({ providerId: 'github' }, deps);
    const start = await startOAuthLogin({ providerId: 'oidc' }, deps);
    const callback = await idp.authorize(
      start.authorizationUrl,
      oidcAccount({ email: 'p@example.com' }),
    );

    const reason = await reasonOf(
      completeOAuthLogin(
        {
          providerId: 'oidc',
          query: Object.fromEntries(callback.searchParams),
          stateCookie: githubStart.stateCookie,
        },
        deps,
      ),
    );

    expect(reason).toBe('BAD_REQUEST:state_invalid');
  });

  it('asks for the second factor instead of starting a session when TOTP is on', async () => {
    const user = await createUser(database.db, {
      email: 'totp@example.com',
      name: 'Totp',
      emailVerifiedAt: new Date(),
    });
    await upsertPendingTotpCredential(database.db, {
      userId: user.id,
      secretEncrypted: 'v1.x.y.z',
    });
    await enableTotpCredential(database.db, { userId: user.id, step: 1, now: new Date() });

    const result = await signInWithOidc(
      oidcAccount({ email: 'totp@example.com', emailVerified: true }),
      { redirectTo: '/account' },
    );

    expect(result).toMatchObject({ status: 'two_factor_required', redirectTo: '/account' });
    expect(
      result.status === 'two_factor_required' && result.challengeToken.length,
    ).toBeGreaterThanOrEqual(43);
  });

  it('audits a refused link under the account that was protected', async () => {
    const victim = await createUser(database.db, {
      email: 'audited-victim@example.com',
      name: 'Victim',
      emailVerifiedAt: new Date(),
    });

    const reason = await reasonOf(
      signInWithOidc(oidcAccount({ email: 'audited-victim@example.com', emailVerified: false })),
    );

    expect(reason).toBe('CONFLICT:account_exists');
    expect(await listOAuthAccountsForUser(database.db, { userId: victim.id })).toEqual([]);
    const events = await database.db.query.auditLog.findMany({
      where: (table, { eq }) => eq(table.targetId, victim.id),
    });
    expect(events.map((event) => [event.action, event.actorUserId, event.metadata])).toEqual([
      ['auth.login.failed', null, { method: 'oauth', provider: 'oidc', reason: 'account_exists' }],
    ]);
  });
});

describe('completeOAuthLogin with GitHub', () => {
  it('signs a verified primary address up, then signs the same GitHub user in again', async () => {
    const user: FakeGithubUser = {
      id: 9001,
      login: 'mona',
      name: 'Mona',
      emails: [{ email: 'mona@example.com', primary: true, verified: true }],
    };

    const first = await signInWithGithub(user);
    const second = await signInWithGithub(user);

    expect(first).toMatchObject({
      status: 'authenticated',
      user: { email: 'mona@example.com', emailVerified: true },
    });
    expect(second.status === 'authenticated' && second.user.id).toBe(
      first.status === 'authenticated' && first.user.id,
    );
  });

  it('does not link an unverified primary address to the verified account that has it', async () => {
    await createUser(database.db, {
      email: 'owner@example.com',
      name: 'Owner',
      passwordHash: 'hash',
      emailVerifiedAt: new Date(),
    });

    const reason = await reasonOf(
      signInWithGithub({
        id: 666,
        login: 'attacker',
        emails: [{ email: 'owner@example.com', primary: true, verified: false }],
      }),
    );

    expect(reason).toBe('CONFLICT:account_exists');
  });
});
