import { and, asc, eq } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import {
  memberships,
  organizations,
  type Membership,
  type MembershipRole,
  type Organization,
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

function clampLimit(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), 1_000);
}
