import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import { users } from '../schema';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createMembership, getMembership } from './memberships';
import { createOrganization, getOrganizationById } from './organizations';
import {
  createUser,
  deleteUserAndPersonalOrganizations,
  getUserByEmail,
  getUserById,
  listOrganizationsSolelyOwnedByUser,
  updateUser,
} from './users';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('users queries', () => {
  it('stores the email trimmed and lowercased', async () => {
    const user = await createUser(database.db, { email: '  Ada@Example.COM ', name: 'Ada' });

    expect(user.email).toBe('ada@example.com');
    expect(user.passwordHash).toBeNull();
  });

  it('refuses a second user whose email differs only in case', async () => {
    await createUser(database.db, { email: 'grace@example.com', name: 'Grace' });

    const duplicate = createUser(database.db, { email: 'GRACE@example.com', name: 'Imposter' });

    await expect(duplicate).rejects.toSatisfy((error) =>
      isUniqueViolation(error, 'users_email_lower_unique'),
    );
  });

  it('enforces case-insensitive uniqueness in the database itself', async () => {
    await database.db.insert(users).values({ email: 'linus@example.com', name: 'Linus' });

    const raw = database.db.insert(users).values({ email: 'LINUS@example.com', name: 'Raw' });

    await expect(raw).rejects.toSatisfy((error) =>
      isUniqueViolation(error, 'users_email_lower_unique'),
    );
  });

  it('finds a user by email in any case and by id', async () => {
    const created = await createUser(database.db, { email: 'barbara@example.com', name: 'B' });

    expect(await getUserByEmail(database.db, { email: 'Barbara@EXAMPLE.com' })).toEqual(created);
    expect(await getUserById(database.db, { userId: created.id })).toEqual(created);
  });

  it('answers null for an unknown or malformed id', async () => {
    expect(
      await getUserById(database.db, { userId: '00000000-0000-4000-8000-000000000000' }),
    ).toBeNull();
    expect(await getUserById(database.db, { userId: 'not-a-uuid' })).toBeNull();
  });

  it('hides soft-deleted users unless asked to include them', async () => {
    const user = await createUser(database.db, { email: 'gone@example.com', name: 'Gone' });
    await database.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, user.id));

    expect(await getUserById(database.db, { userId: user.id })).toBeNull();
    expect(await getUserByEmail(database.db, { email: 'gone@example.com' })).toBeNull();
    expect(
      await getUserByEmail(database.db, { email: 'gone@example.com', includeDeleted: true }),
    ).toMatchObject({ id: user.id });
  });
});

describe('account maintenance queries', () => {
  it('updates only the given columns and normalizes a new email', async () => {
    const user = await createUser(database.db, { email: 'change@example.com', name: 'Before' });

    const updated = await updateUser(database.db, {
      userId: user.id,
      changes: { email: ' Changed@Example.com ', name: 'After' },
    });

    expect(updated).toMatchObject({
      email: 'changed@example.com',
      name: 'After',
      passwordHash: null,
    });
    expect(await updateUser(database.db, { userId: 'nope', changes: { name: 'x' } })).toBeNull();
  });

  it('lists the shared orgs a user owns alone, not personal ones or co-owned ones', async () => {
    const user = await createUser(database.db, { email: 'owner@example.com', name: 'O' });
    const other = await createUser(database.db, { email: 'co-owner@example.com', name: 'C' });
    const personal = await createOrganization(database.db, {
      name: 'Personal',
      slug: 'owner-personal',
      personal: true,
    });
    const alone = await createOrganization(database.db, { name: 'Alone', slug: 'owner-alone' });
    const shared = await createOrganization(database.db, { name: 'Shared', slug: 'owner-shared' });
    await createMembership(database.db, { orgId: personal.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: alone.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: alone.id, userId: other.id, role: 'admin' });
    await createMembership(database.db, { orgId: shared.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: shared.id, userId: other.id, role: 'owner' });

    const blocking = await listOrganizationsSolelyOwnedByUser(database.db, { userId: user.id });

    expect(blocking.map((org) => org.id)).toEqual([alone.id]);
  });

  it('deletes the user with their personal org and memberships, keeping shared orgs', async () => {
    const user = await createUser(database.db, { email: 'leaving@example.com', name: 'L' });
    const personal = await createOrganization(database.db, {
      name: 'Personal',
      slug: 'leaving-personal',
      personal: true,
    });
    const shared = await createOrganization(database.db, { name: 'Team', slug: 'leaving-team' });
    await createMembership(database.db, { orgId: personal.id, userId: user.id, role: 'owner' });
    await createMembership(database.db, { orgId: shared.id, userId: user.id, role: 'member' });

    expect(await deleteUserAndPersonalOrganizations(database.db, { userId: user.id })).toBe(true);

    expect(await getUserById(database.db, { userId: user.id, includeDeleted: true })).toBeNull();
    expect(await getOrganizationById(database.db, { orgId: personal.id })).toBeNull();
    expect(await getOrganizationById(database.db, { orgId: shared.id })).not.toBeNull();
    expect(await getMembership(database.db, { orgId: shared.id, userId: user.id })).toBeNull();
  });
});
