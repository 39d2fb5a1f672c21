import { createApiKey as insertApiKey, isUniqueViolation } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type MemberActor } from '../access/can';
import { canGrantScope } from '../access/permissions';
import { getNow, type AuthDeps } from '../config';
import { hashToken } from '../crypto';
import { orgNotFound } from '../orgs/get-org';
import { generateApiKey } from './api-key-format';
import type { CreateApiKeyInput } from './api-key-schemas';
import { toApiKeyView, type ApiKeyView } from './api-key-view';

export type CreateApiKeyOptions = {
  actor: MemberActor;
  /** From the path; an `orgId` in a body is never read. */
  orgId: string;
  input: CreateApiKeyInput;
  context?: AuditContext;
};

const PREFIX_ATTEMPTS = 3;

/**
 * Creates an org API key (admin+) holding only scopes its creator holds on the whole org. The
 * key is returned once, here; only its SHA-256 hash is stored.
 */
export async function createApiKey(
  options: CreateApiKeyOptions,
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<{ apiKey: ApiKeyView; key: string }> {
  const { actor, orgId, input } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'api_key:create', { orgId });
  const refused = input.scopes.filter((scope) => !canGrantScope(actor.role, scope));
  if (refused.length > 0) {
    throw new AppError('FORBIDDEN', {
      message: 'A key cannot hold permissions you do not have.',
      details: { reason: 'scope_not_grantable', scopes: refused },
    });
  }
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && !(expiresAt.getTime() > getNow(deps).getTime())) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The expiry must be in the future.',
      details: { errors: [{ path: 'body.expiresAt', message: 'Must be in the future' }] },
    });
  }
  for (let attempt = 1; ; attempt += 1) {
    const { prefix, key } = generateApiKey();
    try {
      const apiKey = await deps.db.transaction(async (tx) => {
        const created = await insertApiKey(tx, {
          orgId,
          createdByUserId: actor.userId,
          name: input.name,
          prefix,
          keyHash: hashToken(key),
          scopes: [...input.scopes],
          expiresAt,
        });
        await recordOrgEvent(tx, {
          orgId,
          actor,
          action: 'api_key.created',
          targetType: 'api_key',
          targetId: created.id,
          metadata: { name: created.name, prefix, scopes: created.scopes },
          context: options.context,
        });
        return created;
      });
      return { apiKey: toApiKeyView(apiKey), key };
    } catch (error) {
      if (attempt < PREFIX_ATTEMPTS && isUniqueViolation(error, 'api_keys_prefix_unique')) {
        continue;
      }
      throw error;
    }
  }
}
