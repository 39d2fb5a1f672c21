import { revokeInvitation as revokeInvitationQuery } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type Actor } from '../access/can';
import { getNow, type AuthDeps } from '../config';
import { orgNotFound } from '../orgs/get-org';

/** Revokes a pending invitation of the org (admin+); its link stops working at once. */
export async function revokeInvitation(
  options: { actor: Actor; orgId: string; invitationId: string; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<void> {
  const { actor, orgId, invitationId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'member:invite', { orgId });
  await deps.db.transaction(async (tx) => {
    const revoked = await revokeInvitationQuery(tx, { orgId, invitationId, now: getNow(deps) });
    if (!revoked) throw new AppError('NOT_FOUND', { message: 'Invitation not found.' });
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'member.invitation_revoked',
      targetType: 'invitation',
      targetId: invitationId,
      metadata: { email: revoked.email, role: revoked.role },
      context: options.context,
    });
  });
}
