import { and, asc, count, eq, gt, isNull, or } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import {
  memberships,
  organizations,
  type Membership,
  type MembershipRole,
  type Organization,
  type User,
  users,
} from '../schema';

export type CreateMembershipParams = {
  orgId: string;
  userId: string;
  role: MembershipRole;
};

/** A second membership of the same user in the same org fails on `memberships_org_id_user_id_unique`. */
export async function createMembership(
  db: DatabaseExecutor,
  params: CreateMembershipParams,
): Promise<Membership> {
  const [membership] = await db
    .insert(memberships)
    .values({ orgId: params.orgId, userId: params.userId, role: params.role })
    .returning();
  if (!membership) throw new Error('insert into memberships returned no row');
  return membership;
}

export async function getMembership(
  db: DatabaseExecutor,
  params: { orgId: string; userId: string },
): Promise<Membership | null> {
  if (!isUuid(params.orgId) || !isUuid(params.userId)) return null;
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, params.orgId), eq(memberships.userId, params.userId)))
    .limit(1);
  return membership ?? null;
}

export type MembershipWithOrganization = Membership & {
  organization: Pick<Organization, 'id' | 'name' | 'slug' | 'personal'>;
};

/** The orgs a user belongs to, oldest membership first. */
export async function listMembershipsForUser(
  db: DatabaseExecutor,
  params: { userId: string; limit?: number },
): Promise<MembershipWithOrganization[]> {
  if (!isUuid(params.userId)) return [];
  const rows = await db
    .select({
      membership: memberships,
      organization: {
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        personal: organizations.personal,
      },
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, params.userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(clampLimit(params.limit ?? 100));
  return rows.map((row) => ({ ...row.membership, organization: row.organization }));
}

export type OrgMember = Membership & { user: Pick<User, 'id' | 'email' | 'name'> };

/** Position after which the next page of members starts: the last member seen. */
export type OrgMemberCursor = { createdAt: Date; id: string };

/** An org's members with their names and e-mails, oldest first; deleted accounts are left out. */
export async function listOrgMembers(
  db: DatabaseExecutor,
  params: { orgId: string; limit?: number; after?: OrgMemberCursor },
): Promise<OrgMember[]> {
  if (!isUuid(params.orgId)) return [];
  const conditions = [eq(memberships.orgId, params.orgId), isNull(users.deletedAt)];
  const after = params.after;
  if (after && isUuid(after.id)) {
    const later = or(
      gt(memberships.createdAt, after.createdAt),
      and(eq(memberships.createdAt, after.createdAt), gt(memberships.id, after.id)),
    );
    if (later) conditions.push(later);
  }
  const rows = await db
    .select({
      membership: memberships,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(...conditions))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(clampLimit(params.limit ?? 100));
  return rows.map((row) => ({ ...row.membership, user: row.user }));
}

/** Resolves the updated membership, or null when the user is not a member of the org. */
export async function updateMembershipRole(
  db: DatabaseExecutor,
  params: { orgId: string; userId: string; role: MembershipRole },
): Promise<Membership | null> {
  if (!isUuid(params.orgId) || !isUuid(params.userId)) return null;
  const [membership] = await db
    .update(memberships)
    .set({ role: params.role })
    .where(and(eq(memberships.orgId, params.orgId), eq(memberships.userId, params.userId)))
    .returning();
  return membership ?? null;
}

/** Resolves the deleted membership, or null when there was none. */
export async function deleteMembership(
  db: DatabaseExecutor,
  params: { orgId: string; userId: string },
): Promise<Membership | null> {
  if (!isUuid(params.orgId) || !isUuid(params.userId)) return null;
  const [membership] = await db
    .delete(memberships)
    .where(and(eq(memberships.orgId, params.orgId), eq(memberships.userId, params.userId)))
    .returning();
  return membership ?? null;
}

/** How many members of the org hold `role`. */
export async function countMembershipsWithRole(
  db: DatabaseExecutor,
  params: { orgId: string; role: MembershipRole },
): Promise<number> {
  if (!isUuid(params.orgId)) return 0;
  const [row] = await db
    .select({ total: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, params.orgId), eq(memberships.role, params.role)));
  return row?.total ?? 0;
}

function clampLimit(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), 1_000);
}
