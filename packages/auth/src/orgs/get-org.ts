import { getOrganizationById, type Organization } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';

/** The org, for a member or key of it; another org's id is answered 404. */
export async function getOrg(
  options: { actor: Actor; orgId: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<Organization> {
  if (options.actor.orgId !== options.orgId) throw orgNotFound();
  assertCan(options.actor, 'org:read', { orgId: options.orgId });
  const org = await getOrganizationById(deps.db, { orgId: options.orgId });
  if (!org) throw orgNotFound();
  return org;
}

export function orgNotFound(): AppError {
  return new AppError('NOT_FOUND', { message: 'Organization not found.' });
}
