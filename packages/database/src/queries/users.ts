import { and, asc, eq, inArray, isNull, ne, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { memberships, organizations, users, type Organization, type User } from '../schema';

/** Emails are compared and stored trimmed and lowercased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type CreateUserParams = {
  email: string;
  name: string;
  passwordHash?: string | null;
  emailVerifiedAt?: Date | null;
};

/** Inserts a user; a duplicate email (any case) fails with a unique violation on `users_email_lower_unique`. */
export async function createUser(db: DatabaseExecutor, params: CreateUserParams): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({
      email: normalizeEmail(params.email),
      name: params.name,
      passwordHash: params.passwordHash ?? null,
      emailVerifiedAt: params.emailVerifiedAt ?? null,
    })
    .returning();
  if (!user) throw new Error('insert into users returned no row');
  return user;
}

type LookupOptions = {
  /** Soft-deleted users are invisible unless this is set. */
  includeDeleted?: boolean;
};

export async function getUserById(
  db: DatabaseExecutor,
  params: { userId: string } & LookupOptions,
): Promise<User | null> {
  // A malformed id cannot match and would otherwise be a Postgres cast error.
  if (!isUuid(params.userId)) return null;
  return findUser(db, eq(users.id, params.userId), params);
}

export async function getUserByEmail(
  db: DatabaseExecutor,
  params: { email: string } & LookupOptions,
): Promise<User | null> {
  // Matches the expression of the unique index, so the lookup uses it.
  return findUser(db, sql`lower(${users.email}) = ${normalizeEmail(params.email)}`, params);
}

async function findUser(
  db: DatabaseExecutor,
  condition: SQL,
  options: LookupOptions,
): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(options.includeDeleted ? condition : and(condition, isNull(users.deletedAt)))
    .limit(1);
  return user ?? null;
}

/** The columns a service may change; the id, timestamps and `deletedAt` are not among them. */
export type UpdateUserChanges = {
  name?: string;
  email?: string;
  passwordHash?: string | null;
  emailVerifiedAt?: Date | null;
};

/**
 * Applies `changes` to a live user; null when there is no such user. A new email is normalized
 * and a duplicate fails on `users_email_lower_unique`, like `createUser`.
 */
export async function updateUser(
  db: DatabaseExecutor,
  params: { userId: string; changes: UpdateUserChanges },
): Promise<User | null> {
  if (!isUuid(params.userId)) return null;
  const { changes } = params;
  const values: UpdateUserChanges = {
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.email === undefined ? {} : { email: normalizeEmail(changes.email) }),
    ...(changes.passwordHash === undefined ? {} : { passwordHash: changes.passwordHash }),
    ...(changes.emailVerifiedAt === undefined ? {} : { emailVerifiedAt: changes.emailVerifiedAt }),
  };
  if (Object.keys(values).length === 0) return getUserById(db, { userId: params.userId });
  const [user] = await db
    .update(users)
    .set(values)
    .where(and(eq(users.id, params.userId), isNull(users.deletedAt)))
    .returning();
  return user ?? null;
}

/**
 * Shared (non-personal) orgs the user owns where no other member is an owner: deleting the user
 * would leave them without one.
 */
export async function listOrganizationsSolelyOwnedByUser(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<Array<Pick<Organization, 'id' | 'name' | 'slug'>>> {
  if (!isUuid(params.userId)) return [];
  const otherOwners = alias(memberships, 'other_owners');
  return db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(
      and(
        eq(memberships.userId, params.userId),
        eq(memberships.role, 'owner'),
        eq(organizations.personal, false),
        notExists(
          db
            .select({ id: otherOwners.id })
            .from(otherOwners)
            .where(
              and(
                eq(otherOwners.orgId, memberships.orgId),
                eq(otherOwners.role, 'owner'),
                ne(otherOwners.userId, params.userId),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(organizations.createdAt));
}

/**
 * Deletes the user and the personal orgs they own. Everything else that belongs to the user
 * (memberships, sessions, tokens, second factor, linked identities) goes with the user row by
 * `on delete cascade`; the audit trail keeps its rows with the actor set to null. Run it in a
 * transaction. Resolves false when there was no such user.
 */
export async function deleteUserAndPersonalOrganizations(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<boolean> {
  if (!isUuid(params.userId)) return false;
  const personalOrgIds = db
    .select({ id: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, params.userId), eq(memberships.role, 'owner')));
  await db
    .delete(organizations)
    .where(and(eq(organizations.personal, true), inArray(organizations.id, personalOrgIds)));
  const deleted = await db
    .delete(users)
    .where(eq(users.id, params.userId))
    .returning({ id: users.id });
  return deleted.length > 0;
}
