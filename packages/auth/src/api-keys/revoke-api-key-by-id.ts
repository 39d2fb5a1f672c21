import { getApiKeyOrgId, getMembership, getOrganizationById } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import { toMemberActor } from '../access/can';
import type { AuthDeps } from '../config';
import type { ApiKeyView } from './api-key-view';
import { revokeApiKey } from './revoke-api-key';

export type RevokeApiKeyByIdOptions = {
  /** The signed-in user. */
  userId: string;
  keyId: string;
  /** Whether the acting session verified a second factor (for orgs that require it). */
  twoFactorVerified: boolean;
  context?: AuditContext;
};

/**
 * `DELETE /v1/api-keys/:keyId`: the org comes from the key row, then the same checks as the
 * org-scoped route apply. A key of an org the user is not a member of is answered exactly like a
 * key that does not exist.
 */
export async function revokeApiKeyById(
  options: RevokeApiKeyByIdOptions,
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<ApiKeyView> {
  const notFound = new AppError('NOT_FOUND', { message: 'API key not found.' });
  const orgId = await getApiKeyOrgId(deps.db, { keyId: options.keyId });
  if (!orgId) throw notFound;
  const membership = await getMembership(deps.db, { orgId, userId: options.userId });
  if (!membership) throw notFound;
  const org = await getOrganizationById(deps.db, { orgId });
  if (!org) throw notFound;
  if (org.requireTwoFactor && !options.twoFactorVerified) {
    throw new AppError('FORBIDDEN', {
      message: 'This organization requires two-factor authentication.',
      details: { reason: 'two_factor_required' },
    });
  }
  return revokeApiKey(
    { actor: toMemberActor(membership), orgId, keyId: options.keyId, context: options.context },
    deps,
  );
}
