import {
  getMembership,
  lockOrganization,
  type Membership,
  type Organization,
  type Transaction,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { MemberActor } from '../access/can';
import { orgNotFound } from './get-org';

/**
 * Locks the org row (serialising membership changes of one org) and re-reads the actor's
 * membership under the lock, so a decision is never made on a role changed a moment ago.
 */
export async function lockOrgForMembers(
  tx: Transaction,
  actor: MemberActor,
  orgId: string,
): Promise<{ org: Organization; actorMembership: Membership }> {
  if (actor.orgId !== orgId) throw orgNotFound();
  const org = await lockOrganization(tx, { orgId });
  if (!org) throw orgNotFound();
  const actorMembership = await getMembership(tx, { orgId, userId: actor.userId });
  if (!actorMembership) throw orgNotFound();
  return { org, actorMembership };
}

export function memberNotFound(): AppError {
  return new AppError('NOT_FOUND', { message: 'Member not found.' });
}

export function lastOwnerConflict(): AppError {
  return new AppError('CONFLICT', {
    message: 'An organization must keep at least one owner. Transfer ownership first.',
    details: { reason: 'last_owner' },
  });
}
