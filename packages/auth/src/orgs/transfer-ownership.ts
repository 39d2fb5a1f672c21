import { getMembership, updateMembershipRole } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type MemberActor } from '../access/can';
import type { AuthDeps } from '../config';
import { lockOrgForMembers, memberNotFound } from './lock-org-for-members';
import type { TransferOwnershipInput } from './org-schemas';

export type TransferOwnershipOptions = {
  actor: MemberActor;
  orgId: string;
  input: TransferOwnershipInput;
  context?: AuditContext;
};

/** Hands the org to another existing member (owner only); the old owner becomes an admin. */
export async function transferOwnership(
  options: TransferOwnershipOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<void> {
  const { actor, orgId } = options;
  const newOwnerUserId = options.input.newOwnerUserId;
  assertCan(actor, 'org:transfer', { orgId });
  await deps.db.transaction(async (tx) => {
    const { actorMembership } = await lockOrgForMembers(tx, actor, orgId);
    assertCan({ ...actor, role: actorMembership.role }, 'org:transfer', { orgId });
    if (newOwnerUserId === actor.userId) {
      throw new AppError('UNPROCESSABLE', {
        message: 'You already own this organization.',
        details: { reason: 'already_owner' },
      });
    }
    const target = await getMembership(tx, { orgId, userId: newOwnerUserId });
    if (!target) throw memberNotFound();
    await updateMembershipRole(tx, { orgId, userId: newOwnerUserId, role: 'owner' });
    await updateMembershipRole(tx, { orgId, userId: actor.userId, role: 'admin' });
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'org.ownership_transferred',
      targetType: 'user',
      targetId: newOwnerUserId,
      metadata: { fromUserId: actor.userId, toUserId: newOwnerUserId, previousRole: target.role },
      context: options.context,
    });
  });
  await invalidateProfiles({ userIds: [actor.userId, newOwnerUserId] }, deps);
}
