import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMembership,
  createOrganization,
  getSessionById,
  getUserByEmail,
  getUserById,
  listMailMessages,
  listMembershipsForUser,
} from '@switchyard/database';
import { changePassword } from './change-password';
import { deleteAccount } from './delete-account';
import { getProfile } from './get-profile';
import { logIn } from './log-in';
import { reauthenticate } from './reauthenticate';
import { requestEmailChange } from './request-email-change';
import {
  createAccountTestKit,
  createVerifiedUser,
  enableTotpFor,
  readLatestMail,
  readMailedToken,
  totpCode,
  type AccountTestKit,
} from './testing/account-test-kit';
import { updateProfile } from './update-profile';
import { verifyEmail } from './verify-email';

let kit: AccountTestKit;
const PASSWORD = 'a sturdy passphrase 42';
const NEW_PASSWORD = 'an even sturdier passphrase 43';

beforeAll(async () => {
  kit = await createAccountTestKit();
});
afterAll(async () => {
  await kit.close();
});

async function logInSession(email: string, password = PASSWORD): Promise<string> {
  const result = await logIn({ input: { email, password } }, kit.deps);
  if (result.status !== 'authenticated') throw new Error('expected a session');
  return result.session.session.id;
}

async function isRevoked(sessionId: string): Promise<boolean> {
  const session = await getSessionById(kit.database.db, { sessionId });
  return session?.revokedAt != null;
}

describe('changePassword', () => {
  it('needs the current password', async () => {
    const user = await createVerifiedUser(kit, { email: 'cp1@example.com', password: PASSWORD });
    const sessionId = await logInSession('cp1@example.com');

    await expect(
      changePassword(
        {
          userId: user.id,
          sessionId,
          input: { currentPassword: 'not the password', newPassword: NEW_PASSWORD },
        },
        kit.deps,
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { errors: [{ path: 'currentPassword' }] },
    });
    await expect(logInSession('cp1@example.com')).resolves.toBeDefined();
  });

  it('changes it, ends the other sessions and keeps the current one', async () => {
    const user = await createVerifiedUser(kit, { email: 'cp2@example.com', password: PASSWORD });
    const current = await logInSession('cp2@example.com');
    const other = await logInSession('cp2@example.com');

    await changePassword(
      {
        userId: user.id,
        sessionId: current,
        input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      },
      kit.deps,
    );

    expect(await isRevoked(other)).toBe(true);
    expect(await isRevoked(current)).toBe(false);
    await expect(logInSession('cp2@example.com', NEW_PASSWORD)).resolves.toBeDefined();
    expect((await readLatestMail(kit, 'cp2@example.com')).subject).toMatch(/password was changed/);
  });

  it('applies the password policy to the new password', async () => {
    const user = await createVerifiedUser(kit, { email: 'cp3@example.com', password: PASSWORD });
    const sessionId = await logInSession('cp3@example.com');

    await expect(
      changePassword(
        { userId: user.id, sessionId, input: { currentPassword: PASSWORD, newPassword: 'short' } },
        kit.deps,
      ),
    ).rejects.toMatchObject({ details: { errors: [{ path: 'newPassword' }] } });
  });
});

describe('change of e-mail address', () => {
  it('sends a link to the new address and applies the change only when it is followed', async () => {
    const user = await createVerifiedUser(kit, { email: 'old@example.com', password: PASSWORD });

    await requestEmailChange({ userId: user.id, newEmail: 'New@Example.com' }, kit.deps);

    expect((await getUserById(kit.database.db, { userId: user.id }))?.email).toBe(
      'old@example.com',
    );
    const token = await readMailedToken(kit, 'new@example.com');
    const result = await verifyEmail({ token }, kit.deps);

    expect(result).toMatchObject({
      purpose: 'change_email',
      user: { email: 'new@example.com', emailVerified: true },
    });
    expect((await readLatestMail(kit, 'old@example.com')).subject).toMatch(/address was changed/);
    await expect(logInSession('new@example.com')).resolves.toBeDefined();
  });

  it('answers a conflict if another account took the address meanwhile', async () => {
    const user = await createVerifiedUser(kit, { email: 'mover@example.com', password: PASSWORD });
    await requestEmailChange({ userId: user.id, newEmail: 'taken@example.com' }, kit.deps);
    const token = await readMailedToken(kit, 'taken@example.com');
    await createVerifiedUser(kit, { email: 'taken@example.com', password: PASSWORD });

    await expect(verifyEmail({ token }, kit.deps)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await getUserById(kit.database.db, { userId: user.id }))?.email).toBe(
      'mover@example.com',
    );
  });

  it('refuses the current address', async () => {
    const user = await createVerifiedUser(kit, { email: 'same@example.com', password: PASSWORD });

    await expect(
      requestEmailChange({ userId: user.id, newEmail: 'SAME@example.com' }, kit.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('reauthenticate', () => {
  it('starts a new session with a fresh authenticatedAt and ends the old one', async () => {
    const user = await createVerifiedUser(kit, { email: 'reauth@example.com', password: PASSWORD });
    const old = await logInSession('reauth@example.com');
    kit.clock.advance(3600);

    const result = await reauthenticate(
      { userId: user.id, sessionId: old, input: { password: PASSWORD } },
      kit.deps,
    );

    expect(result.session.session.id).not.toBe(old);
    expect(result.session.session.authenticatedAt.getTime()).toBe(kit.clock.now().getTime());
    expect(await isRevoked(old)).toBe(true);
  });

  it('refuses a wrong password and keeps the session', async () => {
    const user = await createVerifiedUser(kit, {
      email: 'reauth2@example.com',
      password: PASSWORD,
    });
    const old = await logInSession('reauth2@example.com');

    await expect(
      reauthenticate(
        { userId: user.id, sessionId: old, input: { password: 'nope nope' } },
        kit.deps,
      ),
    ).rejects.toMatchObject({ details: { reason: 'invalid_password' } });
    expect(await isRevoked(old)).toBe(false);
  });

  it('needs the second factor when it is enabled', async () => {
    const user = await createVerifiedUser(kit, {
      email: 'reauth3@example.com',
      password: PASSWORD,
    });
    const old = await logInSession('reauth3@example.com');
    const { secret } = await enableTotpFor(kit, user.id);

    await expect(
      reauthenticate({ userId: user.id, sessionId: old, input: { password: PASSWORD } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'two_factor_required' } });
    const code = await totpCode(secret, kit.clock.now());
    const result = await reauthenticate(
      { userId: user.id, sessionId: old, input: { password: PASSWORD, code } },
      kit.deps,
    );

    expect(result.session.session.twoFactorVerified).toBe(true);
  });
});

describe('deleteAccount', () => {
  it('removes the user, their personal org, memberships, sessions and mail', async () => {
    const user = await createVerifiedUser(kit, { email: 'delete@example.com', password: PASSWORD });
    const sessionId = await logInSession('delete@example.com');
    const [personal] = await listMembershipsForUser(kit.database.db, { userId: user.id });
    const team = await createOrganization(kit.database.db, { name: 'Team', slug: 'delete-team' });
    await createMembership(kit.database.db, { orgId: team.id, userId: user.id, role: 'member' });

    await deleteAccount({ userId: user.id, input: { password: PASSWORD } }, kit.deps);

    expect(
      await getUserByEmail(kit.database.db, { email: 'delete@example.com', includeDeleted: true }),
    ).toBeNull();
    expect(await listMembershipsForUser(kit.database.db, { userId: user.id })).toEqual([]);
    expect(await getSessionById(kit.database.db, { sessionId })).toBeNull();
    expect(
      await kit.database.db.query.organizations.findFirst({
        where: (orgs, { eq }) => eq(orgs.id, personal?.orgId ?? ''),
      }),
    ).toBeUndefined();
    expect(
      await listMailMessages(kit.database.db, { limit: 10, to: 'delete@example.com' }),
    ).toEqual([]);
    expect(
      await kit.database.db.query.organizations.findFirst({
        where: (orgs, { eq }) => eq(orgs.id, team.id),
      }),
    ).toBeDefined();
  });

  it('needs the password', async () => {
    const user = await createVerifiedUser(kit, { email: 'keep@example.com', password: PASSWORD });

    await expect(
      deleteAccount({ userId: user.id, input: { password: 'wrong password' } }, kit.deps),
    ).rejects.toMatchObject({ details: { reason: 'invalid_password' } });
    await expect(deleteAccount({ userId: user.id, input: {} }, kit.deps)).rejects.toMatchObject({
      details: { reason: 'invalid_password' },
    });
    expect(await getUserById(kit.database.db, { userId: user.id })).not.toBeNull();
  });

  it('is refused while the user is the only owner of a shared org', async () => {
    const user = await createVerifiedUser(kit, { email: 'owner@example.com', password: PASSWORD });
    const org = await createOrganization(kit.database.db, { name: 'Acme', slug: 'acme-owned' });
    await createMembership(kit.database.db, { orgId: org.id, userId: user.id, role: 'owner' });

    await expect(
      deleteAccount({ userId: user.id, input: { password: PASSWORD } }, kit.deps),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'sole_owner', organizations: [{ id: org.id, name: 'Acme' }] },
    });
    expect(await getUserById(kit.database.db, { userId: user.id })).not.toBeNull();
  });
});

describe('profile', () => {
  it('shows the user, their orgs and their second-factor state, and renames them', async () => {
    const user = await createVerifiedUser(kit, {
      email: 'profile@example.com',
      password: PASSWORD,
      name: 'Before',
    });

    const renamed = await updateProfile({ userId: user.id, input: { name: 'After' } }, kit.deps);
    const profile = await getProfile({ userId: user.id }, kit.deps);

    expect(renamed.name).toBe('After');
    expect(profile).toMatchObject({
      user: { id: user.id, name: 'After', email: 'profile@example.com', emailVerified: true },
      hasPassword: true,
      twoFactorEnabled: false,
      memberships: [{ role: 'owner', organization: { personal: true } }],
    });
  });
});
