import { getApiKey, revokeApiKey as revokeApiKeyQuery } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type Actor } from '../access/can';
import { getNow, type AuthDeps } from '../config';
import { orgNotFound } from '../orgs/get-org';
import { toApiKeyView, type ApiKeyView } from './api-key-view';

export type RevokeApiKeyOptions = {
  actor: Actor;
  orgId: string;
  keyId: string;
  context?: AuditContext;
};

/**
 * Revokes a key of the org (admin+); it is refused from the next request on. Revoking a revoked
 * key changes nothing; a key of another org is answered 404.
 */
export async function revokeApiKey(
  options: RevokeApiKeyOptions,
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<ApiKeyView> {
  const { actor, orgId, keyId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'api_key:revoke', { orgId });
  return deps.db.transaction(async (tx) => {
    const revoked = await revokeApiKeyQuery(tx, { orgId, keyId, now: getNow(deps) });
    if (!revoked) {
      const existing = await getApiKey(tx, { orgId, keyId });
      if (!existing) throw new AppError('NOT_FOUND', { message: 'API key not found.' });
      return toApiKeyView(existing);
    }
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: keyId,
      metadata: { name: revoked.name, prefix: revoked.prefix },
      context: options.context,
    });
    return toApiKeyView(revoked);
  });
}
