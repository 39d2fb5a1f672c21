import { listApiKeys as listApiKeysQuery } from '@switchyard/database';
import { assertCan, type Actor } from '../access/can';
import type { AuthDeps } from '../config';
import { orgNotFound } from '../orgs/get-org';
import { toApiKeyView, type ApiKeyView } from './api-key-view';

/** The org's keys, newest first (admin+); revoked ones only when asked. */
export async function listApiKeys(
  options: { actor: Actor; orgId: string; includeRevoked?: boolean },
  deps: Pick<AuthDeps, 'db'>,
): Promise<ApiKeyView[]> {
  const { actor, orgId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'api_key:read', { orgId });
  const keys = await listApiKeysQuery(deps.db, {
    orgId,
    includeRevoked: options.includeRevoked ?? false,
    limit: 1_000,
  });
  return keys.map(toApiKeyView);
}
