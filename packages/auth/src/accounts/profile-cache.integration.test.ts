import { createDatabase, type DatabaseHandle, type User } from '@switchyard/database';
import type { Redis } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixtures } from '../access/test-fixtures';
import type { AuthDeps } from '../config';
import { createInvitation } from '../invitations/create-invitation';
import { acceptInvitation } from '../invitations/accept-invitation';
import { changeMemberRole } from '../orgs/change-member-role';
import { createOrg } from '../orgs/create-org';
import { deleteOrg } from '../orgs/delete-org';
import { removeMember } from '../orgs/remove-member';
import { transferOwnership } from '../orgs/transfer-ownership';
import { updateOrg } from '../orgs/update-org';
import { createSession } from '../sessions/create-session';
import {
  startSessionRevocationListener,
  type SessionRevocationListener,
} from '../sessions/start-session-revocation-listener';
import { disableTwoFactor } from '../two-factor/disable-two-factor';
import { regenerateRecoveryCodes } from '../two-factor/regenerate-recovery-codes';
import { verifySecondFactor } from '../two-factor/verify-second-factor';
import { getProfile, type Profile } from './get-profile';
import {
  cacheProfile,
  forgetCachedProfiles,
  getProfileGeneration,
  readCachedProfile,
} from './profile-cache';
import { requestEmailChange } from './request-email-change';
import { requestPasswordReset } from './request-password-reset';
import { resetPassword } from './reset-password';
import {
  createAccountTestKit,
  enableTotpFor,
  readMailedToken,
  totpCode,
  type AccountTestKit,
} from './testing/account-test-kit';
import { updateProfile } from './update-profile';
import { verifyEmail } from './verify-email';

let kit: AccountTestKit;
let fx: ReturnType<typeof createOrgFixtures>;
let otherDb: DatabaseHandle;
// Two api instances: each has its own Redis client (same key prefix) and its own cache.
let redisA: Redis;
let redisB: Redis;
let listenerA: SessionRevocationListener;
let listenerB: SessionRevocationListener;
let depsA: AuthDeps;
let depsB: AuthDeps;

beforeAll(async () => {
  kit = await createAccountTestKit();
  fx = createOrgFixtures(kit.database.db);
  otherDb = createDatabase({ url: kit.database.url, max: 2 });
  redisA = kit.redis.duplicate();
  redisB = kit.redis.duplicate();
  listenerA = startSessionRevocationListener({ redis: redisA, log: kit.deps.log });
  listenerB = startSessionRevocationListener({ redis: redisB, log: kit.deps.log });
  await Promise.all([listenerA.subscribed(), listenerB.subscribed()]);
  depsA = { ...kit.deps, redis: redisA };
  depsB = { ...kit.deps, redis: redisB, db: otherDb.db };
});

afterAll(async () => {
  await listenerA?.close();
  await listenerB?.close();
  redisA?.disconnect();
  redisB?.disconnect();
  await otherDb?.close();
  await kit?.close();
});

/** Loads the profile into both instances' caches. */
async function warm(userId: string): Promise<Profile> {
  await getProfile({ userId }, depsA);
  return getProfile({ userId }, depsB);
}

function roleIn(profile: Profile, orgId: string): string | null {
  return profile.memberships.find((membership) => membership.orgId === orgId)?.role ?? null;
}

describe('getProfile', () => {
  it('answers from memory once loaded: a change behind the cache goes unseen', async () => {
    const user = await fx.user({ name: 'Before' });
    await warm(user.id);
    await kit.database.pool.query('update users set name = $1 where id = $2', ['Behind', user.id]);

    expect((await getProfile({ userId: user.id }, depsB)).user.name).toBe('Before');
  });

  it('returns a deep-frozen profile, which every request may share', async () => {
    const user = await fx.user();
    const profile = await getProfile({ userId: user.id }, depsA);

    expect(Object.isFrozen(profile)).toBe(true);
    expect(Object.isFrozen(profile.user)).toBe(true);
    expect(Object.isFrozen(profile.memberships)).toBe(true);
  });

  it('reads the database every time while the instance is not subscribed', async () => {
    const user = await fx.user({ name: 'Before' });
    const unsubscribed = { ...kit.deps, redis: kit.redis.duplicate() };
    await getProfile({ userId: user.id }, unsubscribed);
    await kit.database.pool.query('update users set name = $1 where id = $2', ['After', user.id]);

    expect((await getProfile({ userId: user.id }, unsubscribed)).user.name).toBe('After');
    unsubscribed.redis.disconnect();
  });

  it('forgets everything when the subscription ends', async () => {
    const redisC = kit.redis.duplicate();
    const listener = startSessionRevocationListener({ redis: redisC, log: kit.deps.log });
    await listener.subscribed();
    const deps = { ...kit.deps, redis: redisC };
    const user = await fx.user({ name: 'Before' });
    await getProfile({ userId: user.id }, deps);
    await listener.close();
    await kit.database.pool.query('update users set name = $1 where id = $2', ['After', user.id]);

    expect((await getProfile({ userId: user.id }, deps)).user.name).toBe('After');
    redisC.disconnect();
  });

  it('does not cache a profile loaded before an invalidation', async () => {
    const user = await fx.user();
    const generation = getProfileGeneration(redisA);
    const loaded = await getProfile({ userId: user.id }, { ...depsA, redis: kit.redis });
    forgetCachedProfiles(redisA, { userIds: [user.id] });
    cacheProfile(redisA, generation, loaded);

    expect(readCachedProfile(redisA, user.id)).toBeNull();
  });
});

/**
 * Every service that changes what a profile shows, run on instance A once both instances cached
 * the profile: B must answer the change on its very next read.
 */
describe('a change on one instance reaches every cached profile at once', () => {
  it('updateProfile: the name', async () => {
    const user = await fx.user({ name: 'Before' });
    await warm(user.id);
    await updateProfile({ userId: user.id, input: { name: 'After' } }, depsA);
    expect((await getProfile({ userId: user.id }, depsB)).user.name).toBe('After');
  });

  it('verifyEmail: a confirmed address change', async () => {
    const user = await fx.user();
    await warm(user.id);
    const newEmail = `changed-${fx.unique()}@example.com`;
    await requestEmailChange({ userId: user.id, newEmail }, depsA);
    await verifyEmail({ token: await readMailedToken(kit, newEmail) }, depsA);
    expect((await getProfile({ userId: user.id }, depsB)).user.email).toBe(newEmail);
  });

  it('enableTwoFactor, a used recovery code, new recovery codes, disableTwoFactor', async () => {
    const user = await fx.user();
    await warm(user.id);
    const { secret, recoveryCodes } = await enableTotpFor(kit, user.id);
    expect(await getProfile({ userId: user.id }, depsB)).toMatchObject({
      twoFactorEnabled: true,
      recoveryCodesRemaining: 10,
    });

    await verifySecondFactor({ userId: user.id, recoveryCode: recoveryCodes[0] }, depsA);
    expect((await getProfile({ userId: user.id }, depsB)).recoveryCodesRemaining).toBe(9);

    await regenerateRecoveryCodes({ userId: user.id }, depsA);
    expect((await getProfile({ userId: user.id }, depsB)).recoveryCodesRemaining).toBe(10);

    const { session } = await createSession(
      { userId: user.id, method: 'password', twoFactorVerified: true },
      depsA,
    );
    const code = await totpCode(secret, kit.clock.now());
    await disableTwoFactor({ userId: user.id, sessionId: session.id, code }, depsA);
    expect(await getProfile({ userId: user.id }, depsB)).toMatchObject({
      twoFactorEnabled: false,
      recoveryCodesRemaining: 0,
    });
  });

  it('resetPassword: a first password, for an account that used a provider only', async () => {
    const user = await fx.user();
    expect((await warm(user.id)).hasPassword).toBe(false);
    await requestPasswordReset({ email: user.email }, depsA);
    const token = await readMailedToken(kit, user.email);
    await resetPassword({ input: { token, password: 'a sturdy passphrase 42' } }, depsA);
    expect((await getProfile({ userId: user.id }, depsB)).hasPassword).toBe(true);
  });

  it('createOrg: the creator is an owner of one more org', async () => {
    const user = await fx.user();
    await warm(user.id);
    const org = await createOrg({ userId: user.id, input: { name: 'New Co' } }, depsA);
    expect(roleIn(await getProfile({ userId: user.id }, depsB), org.id)).toBe('owner');
  });

  it("updateOrg: every member's profile shows the new name", async () => {
    const t = await fx.team();
    await warm(t.viewer.user.id);
    await updateOrg(
      {
        actor: t.admin.actor,
        orgId: t.org.id,
        input: { name: 'Renamed' },
        actorTwoFactorVerified: false,
      },
      depsA,
    );
    const profile = await getProfile({ userId: t.viewer.user.id }, depsB);
    expect(profile.memberships.find((m) => m.orgId === t.org.id)?.organization.name).toBe(
      'Renamed',
    );
  });

  it("deleteOrg: the org leaves every member's profile", async () => {
    const t = await fx.team();
    await warm(t.member.user.id);
    await deleteOrg({ actor: t.owner.actor, orgId: t.org.id }, depsA);
    expect(roleIn(await getProfile({ userId: t.member.user.id }, depsB), t.org.id)).toBeNull();
  });

  it('changeMemberRole, removeMember and transferOwnership: the members concerned', async () => {
    const t = await fx.team();
    await Promise.all([t.owner, t.admin, t.member].map((m) => warm(m.user.id)));

    await changeMemberRole(
      {
        actor: t.admin.actor,
        orgId: t.org.id,
        userId: t.member.user.id,
        input: { role: 'viewer' },
      },
      depsA,
    );
    expect(roleIn(await getProfile({ userId: t.member.user.id }, depsB), t.org.id)).toBe('viewer');

    await transferOwnership(
      { actor: t.owner.actor, orgId: t.org.id, input: { newOwnerUserId: t.admin.user.id } },
      depsA,
    );
    expect(roleIn(await getProfile({ userId: t.admin.user.id }, depsB), t.org.id)).toBe('owner');
    expect(roleIn(await getProfile({ userId: t.owner.user.id }, depsB), t.org.id)).toBe('admin');

    const newOwner = { ...t.admin.actor, role: 'owner' as const };
    await removeMember({ actor: newOwner, orgId: t.org.id, userId: t.member.user.id }, depsA);
    expect(roleIn(await getProfile({ userId: t.member.user.id }, depsB), t.org.id)).toBeNull();
  });

  it('acceptInvitation: the invitee is a member of one more org', async () => {
    const t = await fx.team();
    const invitee: User = await fx.user();
    await warm(invitee.id);
    await createInvitation(
      { actor: t.admin.actor, orgId: t.org.id, input: { email: invitee.email, role: 'member' } },
      depsA,
    );
    const token = await readMailedToken(kit, invitee.email);
    await acceptInvitation({ userId: invitee.id, input: { token } }, depsA);
    expect(roleIn(await getProfile({ userId: invitee.id }, depsB), t.org.id)).toBe('member');
  });
});
