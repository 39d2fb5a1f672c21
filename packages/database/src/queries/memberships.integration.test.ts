import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import { organizations } from '../schema';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createMembership, getMembership, listMembershipsForUser } from './memberships';
import { createOrganization, getOrganizationById } from './organizations';
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
});
