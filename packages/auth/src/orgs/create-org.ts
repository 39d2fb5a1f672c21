import {
  createMembership,
  createOrganization,
  isUniqueViolation,
  type Organization,
} from '@switchyard/database';
import { invalidateProfiles } from '../accounts/profile-cache';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { createOrgSlug } from './create-org-slug';
import type { CreateOrgInput } from './org-schemas';

export type CreateOrgOptions = {
  /** The signed-in user; they become the org's owner. */
  userId: string;
  input: CreateOrgInput;
  context?: AuditContext;
};

const SLUG_ATTEMPTS = 3;

/** Creates a shared (non-personal) org with its creator as the owner. */
export async function createOrg(
  options: CreateOrgOptions,
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<Organization> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const created = await deps.db.transaction(async (tx) => {
        const org = await createOrganization(tx, {
          name: options.input.name,
          slug: createOrgSlug(options.input.name),
        });
        await createMembership(tx, { orgId: org.id, userId: options.userId, role: 'owner' });
        await recordOrgEvent(tx, {
          orgId: org.id,
          actor: { kind: 'user', userId: options.userId },
          action: 'org.created',
          targetType: 'organization',
          targetId: org.id,
          metadata: { name: org.name },
          context: options.context,
        });
        return org;
      });
      await invalidateProfiles({ userIds: [options.userId] }, deps);
      return created;
    } catch (error) {
      if (attempt < SLUG_ATTEMPTS && isUniqueViolation(error, 'organizations_slug_unique')) {
        continue;
      }
      throw error;
    }
  }
}
