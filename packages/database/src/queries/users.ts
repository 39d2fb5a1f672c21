import { and, isNull, sql, eq, type SQL } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { users, type User } from '../schema';

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
