import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import { organizations } from '../schema';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  countMembershipsWithRole,
  createMembership,
  deleteMembership,
  getMembership,
  listMembershipsForUser,
  listOrgMembers,
  updateMembershipRole,
} from './memberships';
import {
  createOrganization,
  deleteOrganization,
  getOrganizationById,
  lockOrganization,
  updateOrganization,
} from './organizations';
import { createUser } from './users';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

let counter = 0;
async function setup() {
  counter += 1;
  const user = await createUser(database.db, { email: `m${counter}@example.com`, name: 'M' });
  const orgA = await createOrganization(database.db, { name: 'A', slug: `a-${counter}` });
  const orgB = await createOrganization(database.db, { name: 'B', slug: `b-${counter}` });
  return { user, orgA, orgB };
}

describe('organizations and memberships queries', () => {
  it('creates an organization and reads it back by id', async () => {
    const org = await createOrganization(database.db, {
      name: 'Personal',
      slug: 'personal-x',
      personal: true,
    });

    expect(await getOrganizationById(database.db, { orgId: org.id })).toEqual(org);
    expect(org.personal).toBe(true);
    expect(await getOrganizationById(database.db, { orgId: 'nope' })).toBeNull();
  });

  it('refuses a duplicate slug', async () => {
    await createOrganization(database.db, { name: 'One', slug: 'taken' });

    await expect(createOrganization(database.db, { name: 'Two', slug: 'taken' })).rejects.toSatisfy(
      (error) => isUniqueViolation(error, 'organizations_slug_unique'),
    );
  });

  it('finds a membership only within its own org', async () => {
    const { user, orgA, orgB } = await setup();
    const membership = await createMembership(database.db, {
      orgId: orgA.id,
      userId: user.id,
      role: 'admin',
    });

    expect(await getMembership(database.db, { orgId: orgA.id, userId: user.id })).toEqual(
      membership,
    );
    expect(await getMembership(database.db, { orgId: orgB.id, userId: user.id })).toBeNull();
  });

  it('refuses a second membership of the same user in the same org', async () => {
    const { user, orgA } = await setup();
    await createMembership(database.db, { orgId: orgA.id, userId: user.id, role: 'member' });

    await expect(
      createMembership(database.db, { orgId: orgA.id, userId: user.id, role: 'owner' }),
    ).rejects.toSatisfy((error) => isUniqueViolation(error, 'memberships_org_id_user_id_unique'));
  });

  it('lists the orgs of a user with their names, and drops memberships with the org', async () => {
    const { user, orgA, orgB } = await setup();
    const other = await setup();
    await createMembership(database.db, { orgId: orgA.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: orgB.id, userId: user.id, role: 'viewer' });
    await createMembership(database.db, { orgId: orgA.id, userId: other.user.id, role: 'member' });

    const listed = await listMembershipsForUser(database.db, { userId: user.id });
    expect(listed.map((m) => [m.organization.slug, m.role])).toEqual([
      [orgA.slug, 'owner'],
      [orgB.slug, 'viewer'],
    ]);

    await database.db.delete(organizations).where(eq(organizations.id, orgA.id));

    const after = await listMembershipsForUser(database.db, { userId: user.id });
    expect(after.map((m) => m.orgId)).toEqual([orgB.id]);
  });

  it('updates only the given org fields, and deletes the org with its memberships', async () => {
    const { user, orgA } = await setup();
    await createMembership(database.db, { orgId: orgA.id, userId: user.id, role: 'owner' });

    const renamed = await updateOrganization(database.db, { orgId: orgA.id, name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', requireTwoFactor: false, slug: orgA.slug });
    const strict = await updateOrganization(database.db, {
      orgId: orgA.id,
      requireTwoFactor: true,
    });
    expect(strict).toMatchObject({ name: 'Renamed', requireTwoFactor: true });
    expect(await updateOrganization(database.db, { orgId: 'nope', name: 'x' })).toBeNull();
    const locked = await database.db.transaction((tx) => lockOrganization(tx, { orgId: orgA.id }));
    expect(locked?.id).toBe(orgA.id);

    expect(await deleteOrganization(database.db, { orgId: orgA.id })).toBe(true);
    expect(await deleteOrganization(database.db, { orgId: orgA.id })).toBe(false);
    expect(await getMembership(database.db, { orgId: orgA.id, userId: user.id })).toBeNull();
  });

  it('lists, re-roles, counts and removes the members of one org only', async () => {
    const { user, orgA, orgB } = await setup();
    const second = await createUser(database.db, { email: `s${counter}@example.com`, name: 'S' });
    await createMembership(database.db, { orgId: orgA.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: orgA.id, userId: second.id, role: 'viewer' });
    await createMembership(database.db, { orgId: orgB.id, userId: second.id, role: 'owner' });

    // Oldest first; two memberships made in the same millisecond come in id order.
    const members = await listOrgMembers(database.db, { orgId: orgA.id });
    expect(members.map((m) => [m.user.email, m.role]).sort()).toEqual([
      [user.email, 'owner'],
      [second.email, 'viewer'],
    ]);
    const [first, last] = members;
    if (!first || !last) throw new Error('two members expected');
    expect(
      first.createdAt < last.createdAt ||
        (first.createdAt.getTime() === last.createdAt.getTime() && first.id < last.id),
    ).toBe(true);
    const page2 = await listOrgMembers(database.db, {
      orgId: orgA.id,
      limit: 1,
      after: { createdAt: first.createdAt, id: first.id },
    });
    expect(page2.map((m) => m.userId)).toEqual([last.userId]);

    expect(
      await updateMembershipRole(database.db, { orgId: orgB.id, userId: user.id, role: 'admin' }),
    ).toBeNull();
    const promoted = await updateMembershipRole(database.db, {
      orgId: orgA.id,
      userId: second.id,
      role: 'owner',
    });
    expect(promoted?.role).toBe('owner');
    expect(await countMembershipsWithRole(database.db, { orgId: orgA.id, role: 'owner' })).toBe(2);

    expect((await deleteMembership(database.db, { orgId: orgA.id, userId: second.id }))?.role).toBe(
      'owner',
    );
    expect(await deleteMembership(database.db, { orgId: orgA.id, userId: second.id })).toBeNull();
    expect(await getMembership(database.db, { orgId: orgB.id, userId: second.id })).not.toBeNull();
  });
});
