import {
  createMembership,
  getInvitationByTokenHash,
  getMembership,
  getUserById,
  isUniqueViolation,
  markInvitationAccepted,
  normalizeEmail,
  type MembershipRole,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { getNow, type AuthDeps } from '../config';
import { hashToken } from '../crypto';
import type { AcceptInvitationInput } from './invitation-schemas';

export type AcceptInvitationOptions = {
  /** The signed-in user accepting; their verified e-mail must be the invited address. */
  userId: string;
  input: AcceptInvitationInput;
  context?: AuditContext;
};

export type AcceptedInvitation = { orgId: string; orgName: string; role: MembershipRole };

function alreadyMember(): AppError {
  return new AppError('CONFLICT', {
    message: 'You are already a member of this organization.',
    details: { reason: 'already_member' },
  });
}

function invalidInvitation(reason: 'not_found' | 'used' | 'revoked' | 'expired'): AppError {
  return new AppError('NOT_FOUND', {
    message: 'This invitation is no longer valid. Ask for a new one.',
    details: { reason },
  });
}

/**
 * Joins the org with the invited role. The invitation works once, until it expires, and only for
 * the account whose verified e-mail is the invited address.
 */
export async function acceptInvitation(
  options: AcceptInvitationOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log' | 'now'>,
): Promise<AcceptedInvitation> {
  const now = getNow(deps);
  const invitation = await getInvitationByTokenHash(deps.db, {
    tokenHash: hashToken(options.input.token),
  });
  if (!invitation) throw invalidInvitation('not_found');
  if (invitation.acceptedAt) throw invalidInvitation('used');
  if (invitation.revokedAt) throw invalidInvitation('revoked');
  if (invitation.expiresAt.getTime() <= now.getTime()) throw invalidInvitation('expired');

  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (normalizeEmail(user.email) !== normalizeEmail(invitation.email)) {
    throw new AppError('FORBIDDEN', {
      message: 'This invitation was sent to a different e-mail address.',
      details: { reason: 'email_mismatch' },
    });
  }
  if (!user.emailVerifiedAt) {
    throw new AppError('FORBIDDEN', {
      message: 'Verify your e-mail address before accepting the invitation.',
      details: { reason: 'email_not_verified' },
    });
  }

  const joined = await deps.db.transaction(async (tx) => {
    // Conditional update: of two concurrent accepts only one wins; it also re-checks expiry.
    const accepted = await markInvitationAccepted(tx, { invitationId: invitation.id, now });
    if (!accepted) throw invalidInvitation('used');
    if (await getMembership(tx, { orgId: accepted.orgId, userId: user.id })) {
      throw alreadyMember();
    }
    await createMembership(tx, {
      orgId: accepted.orgId,
      userId: user.id,
      role: accepted.role,
    }).catch((error: unknown) => {
      throw isUniqueViolation(error, 'memberships_org_id_user_id_unique') ? alreadyMember() : error;
    });
    await recordOrgEvent(tx, {
      orgId: accepted.orgId,
      actor: { kind: 'user', userId: user.id },
      action: 'member.joined',
      targetType: 'user',
      targetId: user.id,
      metadata: { role: accepted.role, invitationId: accepted.id },
      context: options.context,
    });
    return { orgId: accepted.orgId, orgName: invitation.organization.name, role: accepted.role };
  });
  await invalidateProfiles({ userIds: [user.id] }, deps);
  return joined;
}
