import {
  getMembership,
  getOrganizationById,
  listAuditEvents,
  listOrgMembers as listOrgMembersQuery,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import type { Logger, Redis } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixtures } from '../access/test-fixtures';
import { closeTestRedis, createTestLogger, createTestRedis } from '../testing';
import { changeMemberRole } from './change-member-role';
import { createOrg } from './create-org';
import { deleteOrg } from './delete-org';
import { getOrg } from './get-org';
import { listMyOrgs } from './list-my-orgs';
import { listOrgAuditLog } from './list-org-audit-log';
import { listOrgMembers } from './list-org-members';
import { removeMember } from './remove-member';
import { transferOwnership } from './transfer-ownership';
import { updateOrg } from './update-org';

let database: TestDatabase;
let fx: ReturnType<typeof createOrgFixtures>;
let deps: { db: TestDatabase['db']; redis: Redis; log: Logger };

beforeAll(async () => {
  database = await createTestDatabase();
  fx = createOrgFixtures(database.db);
  deps = { db: database.db, redis: createTestRedis(), log: createTestLogger() };
});
afterAll(async () => {
  if (deps) await closeTestRedis(deps.redis);
  await database.drop();
});

async function roleOf(orgId: string, userId: string) {
  return (await getMembership(database.db, { orgId, userId }))?.role ?? null;
}

async function actions(orgId: string) {
  const events = await listAuditEvents(database.db, { orgId, limit: 200 });
  return events.map((event) => event.action);
}

describe('createOrg / getOrg / listMyOrgs', () => {
  it('makes the creator the owner of a new shared org and records it', async () => {
    const user = await fx.user();

    const org = await createOrg({ userId: user.id, input: { name: 'Rocket Co' } }, deps);

    expect(org).toMatchObject({ name: 'Rocket Co', personal: false, requireTwoFactor: false });
    expect(org.slug).toMatch(/^rocket-co-[0-9a-f]{8}$/);
    expect(await roleOf(org.id, user.id)).toBe('owner');
    expect(await actions(org.id)).toEqual(['org.created']);
    const mine = await listMyOrgs({ userId: user.id }, deps);
    expect(mine.map((entry) => [entry.id, entry.role])).toEqual([[org.id, 'owner']]);
  });

  it("answers 404 for another org's id, whatever the actor's role there", async () => {
    const a = await fx.team();
    const b = await fx.org();

    await expect(getOrg({ actor: a.owner.actor, orgId: b.id }, deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getOrg({ actor: a.viewer.actor, orgId: a.org.id }, deps)).resolves.toMatchObject({
      id: a.org.id,
    });
  });
});

describe('updateOrg', () => {
  it('renames the org for an admin and records the change', async () => {
    const t = await fx.team();

    const updated = await updateOrg(
      {
        actor: t.admin.actor,
        orgId: t.org.id,
        input: { name: 'Renamed' },
        actorTwoFactorVerified: false,
      },
      deps,
    );

    expect(updated.name).toBe('Renamed');
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({
      action: 'org.settings_changed',
      actorUserId: t.admin.user.id,
      metadata: { changes: { name: { from: 'Acme', to: 'Renamed' } } },
    });
  });

  it('refuses a member', async () => {
    const t = await fx.team();

    await expect(
      updateOrg(
        {
          actor: t.member.actor,
          orgId: t.org.id,
          input: { name: 'X' },
          actorTwoFactorVerified: true,
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('turns on requireTwoFactor only from a session that verified a second factor', async () => {
    const t = await fx.team();
    const input = { requireTwoFactor: true };

    await expect(
      updateOrg(
        { actor: t.admin.actor, orgId: t.org.id, input, actorTwoFactorVerified: false },
        deps,
      ),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      details: { reason: 'two_factor_not_verified' },
    });
    expect((await getOrganizationById(database.db, { orgId: t.org.id }))?.requireTwoFactor).toBe(
      false,
    );

    const updated = await updateOrg(
      { actor: t.admin.actor, orgId: t.org.id, input, actorTwoFactorVerified: true },
      deps,
    );
    expect(updated.requireTwoFactor).toBe(true);
    // Turning it off needs no second factor (it cannot lock anyone out).
    const off = await updateOrg(
      {
        actor: t.owner.actor,
        orgId: t.org.id,
        input: { requireTwoFactor: false },
        actorTwoFactorVerified: false,
      },
      deps,
    );
    expect(off.requireTwoFactor).toBe(false);
  });
});

describe('changeMemberRole', () => {
  it('lets an admin change a member to viewer and records it', async () => {
    const t = await fx.team();

    await changeMemberRole(
      {
        actor: t.admin.actor,
        orgId: t.org.id,
        userId: t.member.user.id,
        input: { role: 'viewer' },
      },
      deps,
    );

    expect(await roleOf(t.org.id, t.member.user.id)).toBe('viewer');
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({
      action: 'member.role_changed',
      targetId: t.member.user.id,
      metadata: { from: 'member', to: 'viewer' },
    });
  });

  it('refuses an admin making someone an owner or changing an owner', async () => {
    const t = await fx.team();

    await expect(
      changeMemberRole(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          userId: t.member.user.id,
          input: { role: 'owner' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'owner_only' } });
    await expect(
      changeMemberRole(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          userId: t.admin.user.id,
          input: { role: 'owner' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      changeMemberRole(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          userId: t.owner.user.id,
          input: { role: 'viewer' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await roleOf(t.org.id, t.member.user.id)).toBe('member');
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('owner');
  });

  it('refuses members and viewers', async () => {
    const t = await fx.team();

    for (const actor of [t.member.actor, t.viewer.actor]) {
      await expect(
        changeMemberRole(
          { actor, orgId: t.org.id, userId: t.viewer.user.id, input: { role: 'admin' } },
          deps,
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await roleOf(t.org.id, t.viewer.user.id)).toBe('viewer');
  });

  it('decides on the role the actor has now, not the one it was loaded with', async () => {
    const t = await fx.team();
    // The actor object still says admin, but the owner demoted them a moment ago.
    await changeMemberRole(
      { actor: t.owner.actor, orgId: t.org.id, userId: t.admin.user.id, input: { role: 'viewer' } },
      deps,
    );

    await expect(
      changeMemberRole(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          userId: t.member.user.id,
          input: { role: 'admin' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets an owner add a co-owner, and never demote the last owner', async () => {
    const t = await fx.team();

    await expect(
      changeMemberRole(
        {
          actor: t.owner.actor,
          orgId: t.org.id,
          userId: t.owner.user.id,
          input: { role: 'admin' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'last_owner' } });

    await changeMemberRole(
      { actor: t.owner.actor, orgId: t.org.id, userId: t.admin.user.id, input: { role: 'owner' } },
      deps,
    );
    await changeMemberRole(
      { actor: t.owner.actor, orgId: t.org.id, userId: t.owner.user.id, input: { role: 'admin' } },
      deps,
    );

    expect(await roleOf(t.org.id, t.admin.user.id)).toBe('owner');
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('admin');
  });

  it('keeps one owner when two owners demote each other at the same time', async () => {
    const t = await fx.team();
    await changeMemberRole(
      { actor: t.owner.actor, orgId: t.org.id, userId: t.admin.user.id, input: { role: 'owner' } },
      deps,
    );
    const second = { ...t.admin.actor, role: 'owner' as const };

    const results = await Promise.allSettled([
      changeMemberRole(
        {
          actor: t.owner.actor,
          orgId: t.org.id,
          userId: t.admin.user.id,
          input: { role: 'admin' },
        },
        deps,
      ),
      changeMemberRole(
        { actor: second, orgId: t.org.id, userId: t.owner.user.id, input: { role: 'admin' } },
        deps,
      ),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const members = await listOrgMembersQuery(database.db, { orgId: t.org.id });
    expect(members.filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('answers 404 for a user who is not a member', async () => {
    const t = await fx.team();
    const outsider = await fx.user();

    await expect(
      changeMemberRole(
        { actor: t.owner.actor, orgId: t.org.id, userId: outsider.id, input: { role: 'admin' } },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('removeMember', () => {
  it('lets an admin remove a member, and records it', async () => {
    const t = await fx.team();

    await removeMember({ actor: t.admin.actor, orgId: t.org.id, userId: t.member.user.id }, deps);

    expect(await roleOf(t.org.id, t.member.user.id)).toBeNull();
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({
      action: 'member.removed',
      targetId: t.member.user.id,
      metadata: { role: 'member', left: false },
    });
  });

  it('lets a viewer leave but not remove anyone else', async () => {
    const t = await fx.team();

    await expect(
      removeMember({ actor: t.viewer.actor, orgId: t.org.id, userId: t.member.user.id }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await removeMember({ actor: t.viewer.actor, orgId: t.org.id, userId: t.viewer.user.id }, deps);

    expect(await roleOf(t.org.id, t.member.user.id)).toBe('member');
    expect(await roleOf(t.org.id, t.viewer.user.id)).toBeNull();
  });

  it('never lets an admin remove an owner', async () => {
    const t = await fx.team();

    await expect(
      removeMember({ actor: t.admin.actor, orgId: t.org.id, userId: t.owner.user.id }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'owner_only' } });
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('owner');
  });

  it('refuses to let the last owner leave, and lets one of two owners go', async () => {
    const t = await fx.team();

    await expect(
      removeMember({ actor: t.owner.actor, orgId: t.org.id, userId: t.owner.user.id }, deps),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'last_owner' } });

    await changeMemberRole(
      { actor: t.owner.actor, orgId: t.org.id, userId: t.admin.user.id, input: { role: 'owner' } },
      deps,
    );
    await removeMember({ actor: t.admin.actor, orgId: t.org.id, userId: t.owner.user.id }, deps);
    expect(await roleOf(t.org.id, t.owner.user.id)).toBeNull();
  });
});

describe('transferOwnership', () => {
  it('makes a member the owner and the old owner an admin', async () => {
    const t = await fx.team();

    await transferOwnership(
      { actor: t.owner.actor, orgId: t.org.id, input: { newOwnerUserId: t.member.user.id } },
      deps,
    );

    expect(await roleOf(t.org.id, t.member.user.id)).toBe('owner');
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('admin');
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({
      action: 'org.ownership_transferred',
      metadata: { fromUserId: t.owner.user.id, toUserId: t.member.user.id },
    });
  });

  it('refuses an admin, and a new owner who is not a member', async () => {
    const t = await fx.team();
    const outsider = await fx.user();

    await expect(
      transferOwnership(
        { actor: t.admin.actor, orgId: t.org.id, input: { newOwnerUserId: t.admin.user.id } },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      transferOwnership(
        { actor: t.owner.actor, orgId: t.org.id, input: { newOwnerUserId: outsider.id } },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('owner');
    expect(await roleOf(t.org.id, outsider.id)).toBeNull();
  });
});

describe('deleteOrg', () => {
  it('lets the owner delete a shared org and keeps the audit event', async () => {
    const t = await fx.team();

    await expect(deleteOrg({ actor: t.admin.actor, orgId: t.org.id }, deps)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await deleteOrg({ actor: t.owner.actor, orgId: t.org.id }, deps);

    expect(await getOrganizationById(database.db, { orgId: t.org.id })).toBeNull();
    expect(await roleOf(t.org.id, t.owner.user.id)).toBeNull();
  });

  it('refuses to delete a personal org', async () => {
    const personal = await fx.org({ personal: true });
    const owner = await fx.member(personal, 'owner');

    await expect(deleteOrg({ actor: owner.actor, orgId: personal.id }, deps)).rejects.toMatchObject(
      { code: 'UNPROCESSABLE', details: { reason: 'personal_org' } },
    );
  });
});

describe('listOrgMembers', () => {
  it('lists members with their roles for a viewer', async () => {
    const t = await fx.team();

    const members = await listOrgMembers({ actor: t.viewer.actor, orgId: t.org.id }, deps);

    expect(members.map((m) => [m.userId, m.role])).toEqual([
      [t.owner.user.id, 'owner'],
      [t.admin.user.id, 'admin'],
      [t.member.user.id, 'member'],
      [t.viewer.user.id, 'viewer'],
    ]);
    expect(members[0]?.email).toBe(t.owner.user.email);
  });
});

describe('listOrgAuditLog', () => {
  it('pages through the log with an opaque cursor, for admins only', async () => {
    const t = await fx.team();
    for (const role of ['viewer', 'member', 'admin', 'viewer', 'member'] as const) {
      await changeMemberRole(
        { actor: t.owner.actor, orgId: t.org.id, userId: t.viewer.user.id, input: { role } },
        deps,
      );
    }

    const first = await listOrgAuditLog({ actor: t.admin.actor, orgId: t.org.id, limit: 2 }, deps);
    const cursor = first.nextCursor ?? '';
    const second = await listOrgAuditLog(
      { actor: t.admin.actor, orgId: t.org.id, limit: 2, cursor },
      deps,
    );
    const third = await listOrgAuditLog(
      { actor: t.admin.actor, orgId: t.org.id, limit: 2, cursor: second.nextCursor ?? '' },
      deps,
    );

    const all = [...first.events, ...second.events, ...third.events];
    expect(all.map((event) => event.metadata.to)).toEqual(['member', 'viewer', 'admin', 'member']);
    expect(third.nextCursor).toBeNull();
    expect(first.events[0]?.actor).toEqual({
      id: t.owner.user.id,
      email: t.owner.user.email,
      name: t.owner.user.name,
    });
    await expect(
      listOrgAuditLog({ actor: t.member.actor, orgId: t.org.id, limit: 10 }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      listOrgAuditLog({ actor: t.admin.actor, orgId: t.org.id, limit: 10, cursor: 'bogus' }, deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
