import { deleteOrganization, lockOrganization } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';
import { orgNotFound } from './get-org';

/**
 * Deletes a shared org with its memberships, invitations and keys (owner only). A personal org
 * goes only with its user's account. The audit event outlives the org (its org id is cleared by
 * the foreign key, so it names the org in the target instead).
 */
export async function deleteOrg(
  options: { actor: Actor; orgId: string; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<void> {
  const { actor, orgId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'org:delete', { orgId });
  await deps.db.transaction(async (tx) => {
    const org = await lockOrganization(tx, { orgId });
    if (!org) throw orgNotFound();
    if (org.personal) {
      throw new AppError('UNPROCESSABLE', {
        message: 'A personal organization is deleted only with its account.',
        details: { reason: 'personal_org' },
      });
    }
    await deleteOrganization(tx, { orgId });
    await recordOrgEvent(tx, {
      orgId: null,
      actor,
      action: 'org.deleted',
      targetType: 'organization',
      targetId: orgId,
      metadata: { name: org.name },
      context: options.context,
    });
  });
  await invalidateProfiles({ orgIds: [orgId] }, deps);
}
