import { listMembershipsForUser, type MembershipRole } from '@switchyard/database';
import type { AuthDeps } from '../config';

export type MyOrg = {
  id: string;
  name: string;
  slug: string;
  personal: boolean;
  role: MembershipRole;
  joinedAt: Date;
};

/** The orgs the user belongs to, with their role in each, oldest membership first. */
export async function listMyOrgs(
  options: { userId: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<MyOrg[]> {
  const memberships = await listMembershipsForUser(deps.db, {
    userId: options.userId,
    limit: 1_000,
  });
  return memberships.map((membership) => ({
    ...membership.organization,
    role: membership.role,
    joinedAt: membership.createdAt,
  }));
}
