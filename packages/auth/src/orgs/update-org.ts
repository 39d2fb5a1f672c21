import { lockOrganization, updateOrganization, type Organization } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';
import { orgNotFound } from './get-org';
import type { UpdateOrgInput } from './org-schemas';

export type UpdateOrgOptions = {
  actor: Actor;
  orgId: string;
  input: UpdateOrgInput;
  /**
   * Whether the acting session verified a second factor. Requiring 2FA is refused otherwise: the
   * admin turning it on would lock themselves out of the org at once.
   */
  actorTwoFactorVerified: boolean;
  context?: AuditContext;
};

/** Renames the org and/or sets `requireTwoFactor` (admin+); records what changed. */
export async function updateOrg(
  options: UpdateOrgOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<Organization> {
  const { actor, orgId, input } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'org:update', { orgId });
  const updated = await deps.db.transaction(async (tx) => {
    const before = await lockOrganization(tx, { orgId });
    if (!before) throw orgNotFound();
    if (input.requireTwoFactor === true && !before.requireTwoFactor) {
      if (!options.actorTwoFactorVerified) {
        throw new AppError('UNPROCESSABLE', {
          message: 'Turn on two-factor authentication for your own account first.',
          details: { reason: 'two_factor_not_verified' },
        });
      }
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.name !== undefined && input.name !== before.name) {
      changes.name = { from: before.name, to: input.name };
    }
    if (
      input.requireTwoFactor !== undefined &&
      input.requireTwoFactor !== before.requireTwoFactor
    ) {
      changes.requireTwoFactor = { from: before.requireTwoFactor, to: input.requireTwoFactor };
    }
    if (Object.keys(changes).length === 0) return before;
    const changed = await updateOrganization(tx, {
      orgId,
      name: input.name,
      requireTwoFactor: input.requireTwoFactor,
    });
    if (!changed) throw orgNotFound();
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'org.settings_changed',
      targetType: 'organization',
      targetId: orgId,
      metadata: { changes },
      context: options.context,
    });
    return changed;
  });
  // Every member's profile lists the org's name.
  await invalidateProfiles({ orgIds: [orgId] }, deps);
  return updated;
}
