import type { Invitation, MembershipRole } from '@switchyard/database';

/** What clients see of an invitation: never the token or its hash. */
export type InvitationView = {
  id: string;
  orgId: string;
  email: string;
  role: MembershipRole;
  invitedByUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
};

export function toInvitationView(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    orgId: invitation.orgId,
    email: invitation.email,
    role: invitation.role,
    invitedByUserId: invitation.invitedByUserId,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
  };
}
