import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMembership,
  createOrganization,
  getUserByEmail,
  listMembershipsForUser,
} from '@switchyard/database';
import {
  bearer,
  createIdentityTestApp,
  latestMail,
  latestToken,
  PASSWORD,
  signUpAndLogIn,
  type IdentityTestApp,
} from './testing/identity-test-app';

let t: IdentityTestApp;

beforeAll(async () => {
  // Longer than the re-authentication window, so a test can leave the window with a valid token.
  t = await createIdentityTestApp({ ACCESS_TOKEN_TTL_SECONDS: '7200' });
});
afterAll(async () => {
  await t.close();
});

function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  accessToken: string,
  payload?: object,
) {
  return t.app.inject({ method, url, headers: bearer(accessToken), payload });
}

describe('GET /v1/me', () => {
  it('needs a signed-in user', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });

  it('answers the user, their personal org and their second-factor state', async () => {
    const session = await signUpAndLogIn(t, 'me@example.com');

    const response = await call('GET', '/v1/me', session.accessToken);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      user: { email: 'me@example.com', name: 'Tester', emailVerified: true },
      memberships: [{ role: 'owner', organization: { personal: true } }],
      hasPassword: true,
      twoFactorEnabled: false,
      platformAdmin: false,
    });
    expect(response.body).not.toContain('argon2');
  });
});

describe('PATCH /v1/me', () => {
  it('changes the name and ignores role, orgId, userId, id and email', async () => {
    const session = await signUpAndLogIn(t, 'mass@example.com');
    const user = await getUserByEmail(t.database.db, { email: 'mass@example.com' });
    const other = await createOrganization(t.database.db, { name: 'Other', slug: 'mass-other' });

    const response = await call('PATCH', '/v1/me', session.accessToken, {
      name: 'Renamed',
      role: 'owner',
      orgId: other.id,
      userId: '00000000-0000-4000-8000-000000000000',
      id: '00000000-0000-4000-8000-000000000000',
      email: 'attacker@example.com',
      emailVerified: false,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      user: { id: user?.id, name: 'Renamed', email: 'mass@example.com', emailVerified: true },
    });
    const after = await getUserByEmail(t.database.db, { email: 'mass@example.com' });
    expect(after).toMatchObject({ id: user?.id, name: 'Renamed' });
    expect(await getUserByEmail(t.database.db, { email: 'attacker@example.com' })).toBeNull();
    const memberships = await listMembershipsForUser(t.database.db, { userId: user?.id ?? '' });
    expect(memberships.map((membership) => membership.orgId)).not.toContain(other.id);
  });
});

describe('POST /v1/me/password', () => {
  it('needs the current password', async () => {
    const session = await signUpAndLogIn(t, 'pw1@example.com');

    const response = await call('POST', '/v1/me/password', session.accessToken, {
      currentPassword: 'not the current one',
      newPassword: 'a brand new passphrase 99',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ path: 'currentPassword' }] });
  });

  it('changes it and ends the other sessions, not this one', async () => {
    const current = await signUpAndLogIn(t, 'pw2@example.com');
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'pw2@example.com', password: PASSWORD },
    });

    const response = await call('POST', '/v1/me/password', current.accessToken, {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase 99',
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'password_changed', otherSessionsEnded: true });
    const otherToken = other.json<{ accessToken: string }>().accessToken;
    expect((await call('GET', '/v1/me', otherToken)).statusCode).toBe(401);
    expect((await call('GET', '/v1/me', current.accessToken)).statusCode).toBe(200);
  });
});

describe('POST /v1/me/email', () => {
  it('needs a recent authentication', async () => {
    const session = await signUpAndLogIn(t, 'stale@example.com');
    t.clock.advance(601);

    const response = await call('POST', '/v1/me/email', session.accessToken, {
      newEmail: 'fresh@example.com',
    });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ reason: 'reauthentication_required' });
  });

  it('re-verifies: the address changes only once the link sent to it is followed', async () => {
    const session = await signUpAndLogIn(t, 'before@example.com');

    const response = await call('POST', '/v1/me/email', session.accessToken, {
      newEmail: 'after@example.com',
    });
    expect(response.statusCode).toBe(202);
    expect((await call('GET', '/v1/me', session.accessToken)).json()).toMatchObject({
      user: { email: 'before@example.com' },
    });

    const confirm = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: await latestToken(t, 'after@example.com') },
    });

    expect(confirm.json()).toMatchObject({
      purpose: 'change_email',
      user: { email: 'after@example.com', emailVerified: true },
    });
    expect((await latestMail(t, 'before@example.com')).subject).toBe(
      'Your e-mail address was changed',
    );
  });
});

describe('DELETE /v1/me', () => {
  it('needs a recent authentication', async () => {
    const session = await signUpAndLogIn(t, 'del-stale@example.com');
    t.clock.advance(601);

    const response = await call('DELETE', '/v1/me', session.accessToken, { password: PASSWORD });

    expect(response.statusCode).toBe(401);
    expect(await getUserByEmail(t.database.db, { email: 'del-stale@example.com' })).not.toBeNull();
  });

  it('needs the password', async () => {
    const session = await signUpAndLogIn(t, 'del-pw@example.com');

    const response = await call('DELETE', '/v1/me', session.accessToken, {
      password: 'wrong one!',
    });

    expect(response.statusCode).toBe(400);
    expect(await getUserByEmail(t.database.db, { email: 'del-pw@example.com' })).not.toBeNull();
  });

  it('deletes the account and its data, and the token stops working', async () => {
    const session = await signUpAndLogIn(t, 'del@example.com');
    const user = await getUserByEmail(t.database.db, { email: 'del@example.com' });

    const response = await call('DELETE', '/v1/me', session.accessToken, { password: PASSWORD });

    expect(response.statusCode).toBe(204);
    expect(
      await getUserByEmail(t.database.db, { email: 'del@example.com', includeDeleted: true }),
    ).toBeNull();
    expect(await listMembershipsForUser(t.database.db, { userId: user?.id ?? '' })).toEqual([]);
    expect((await call('GET', '/v1/me', session.accessToken)).statusCode).toBe(401);
  });

  it('is refused with 409 while the user is the only owner of a shared org', async () => {
    const session = await signUpAndLogIn(t, 'sole@example.com');
    const user = await getUserByEmail(t.database.db, { email: 'sole@example.com' });
    const org = await createOrganization(t.database.db, { name: 'Shared', slug: 'sole-shared' });
    await createMembership(t.database.db, { orgId: org.id, userId: user?.id ?? '', role: 'owner' });

    const response = await call('DELETE', '/v1/me', session.accessToken, { password: PASSWORD });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ reason: 'sole_owner' });
  });
});
