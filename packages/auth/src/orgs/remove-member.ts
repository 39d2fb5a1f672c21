import { countMembershipsWithRole, deleteMembership, getMembership } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type MemberActor } from '../access/can';
import type { AuthDeps } from '../config';
import { lastOwnerConflict, lockOrgForMembers, memberNotFound } from './lock-org-for-members';

export type RemoveMemberOptions = {
  actor: MemberActor;
  orgId: string;
  /** The member to remove; the actor's own id means leaving the org. */
  userId: string;
  context?: AuditContext;
};

/**
 * Removes a member (admin+) or lets a member leave. An owner can be removed only by an owner (or
 * leave), and never when they are the last one.
 */
export async function removeMember(
  options: RemoveMemberOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<void> {
  const { actor, orgId, userId } = options;
  const resource = { orgId, ownerUserId: userId };
  assertCan(actor, 'member:remove', resource);
  await deps.db.transaction(async (tx) => {
    const { actorMembership } = await lockOrgForMembers(tx, actor, orgId);
    assertCan({ ...actor, role: actorMembership.role }, 'member:remove', resource);
    const target = await getMembership(tx, { orgId, userId });
    if (!target) throw memberNotFound();
    const leaving = userId === actor.userId;
    if (target.role === 'owner') {
      if (!leaving && actorMembership.role !== 'owner') {
        throw new AppError('FORBIDDEN', {
          message: 'Only an owner can remove an owner.',
          details: { reason: 'owner_only' },
        });
      }
      const owners = await countMembershipsWithRole(tx, { orgId, role: 'owner' });
      if (owners <= 1) throw lastOwnerConflict();
    }
    await deleteMembership(tx, { orgId, userId });
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'member.removed',
      targetType: 'user',
      targetId: userId,
      metadata: { role: target.role, left: leaving },
      context: options.context,
    });
  });
  await invalidateProfiles({ userIds: [userId] }, deps);
}
