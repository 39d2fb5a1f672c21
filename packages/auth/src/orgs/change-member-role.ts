import {
  countMembershipsWithRole,
  getMembership,
  updateMembershipRole,
  type Membership,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type MemberActor } from '../access/can';
import type { AuthDeps } from '../config';
import { lastOwnerConflict, lockOrgForMembers, memberNotFound } from './lock-org-for-members';
import type { ChangeMemberRoleInput } from './org-schemas';

export type ChangeMemberRoleOptions = {
  actor: MemberActor;
  orgId: string;
  /** The member whose role changes (from the path, never from the body). */
  userId: string;
  input: ChangeMemberRoleInput;
  context?: AuditContext;
};

/**
 * Changes a member's role (admin+). Only an owner may make someone an owner or change an owner's
 * role, and the org always keeps at least one owner.
 */
export async function changeMemberRole(
  options: ChangeMemberRoleOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<Membership> {
  const { actor, orgId, userId } = options;
  const role = options.input.role;
  assertCan(actor, 'member:update', { orgId });
  const membership = await deps.db.transaction(async (tx) => {
    const { actorMembership } = await lockOrgForMembers(tx, actor, orgId);
    assertCan({ ...actor, role: actorMembership.role }, 'member:update', { orgId });
    const target = await getMembership(tx, { orgId, userId });
    if (!target) throw memberNotFound();
    if (target.role === role) return target;
    if (actorMembership.role !== 'owner' && (target.role === 'owner' || role === 'owner')) {
      throw new AppError('FORBIDDEN', {
        message: "Only an owner can make someone an owner or change an owner's role.",
        details: { reason: 'owner_only' },
      });
    }
    if (target.role === 'owner') {
      const owners = await countMembershipsWithRole(tx, { orgId, role: 'owner' });
      if (owners <= 1) throw lastOwnerConflict();
    }
    const updated = await updateMembershipRole(tx, { orgId, userId, role });
    if (!updated) throw memberNotFound();
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      metadata: { from: target.role, to: role },
      context: options.context,
    });
    return updated;
  });
  await invalidateProfiles({ userIds: [userId] }, deps);
  return membership;
}
