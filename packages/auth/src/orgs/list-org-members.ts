import { listOrgMembers as listOrgMembersQuery, type MembershipRole } from '@switchyard/database';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';
import { orgNotFound } from './get-org';

export type OrgMemberView = {
  userId: string;
  email: string;
  name: string;
  role: MembershipRole;
  joinedAt: Date;
};

/** Members of the org with their roles (viewer+), oldest first. */
export async function listOrgMembers(
  options: { actor: Actor; orgId: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<OrgMemberView[]> {
  const { actor, orgId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'member:read', { orgId });
  const members = await listOrgMembersQuery(deps.db, { orgId, limit: 1_000 });
  return members.map((member) => ({
    userId: member.userId,
    email: member.user.email,
    name: member.user.name,
    role: member.role,
    joinedAt: member.createdAt,
  }));
}
