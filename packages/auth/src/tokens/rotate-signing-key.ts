import { lockSigningKeys, retireSigningKeys } from '@switchyard/database';
import { getNow, type AuthDeps } from '../config';
import { createSigningKeyRow, reloadSigningKeys } from './signing-key-store';

/**
 * Creates a new signing key and retires the others: they stop signing now but stay in the JWKS,
 * and keep verifying, for two access-token lifetimes, so no token already issued is refused.
 */
export async function rotateSigningKey(
  deps: Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>,
): Promise<{ kid: string; retiredCount: number }> {
  const now = getNow(deps);
  const expiresAt = new Date(now.getTime() + 2 * deps.config.accessTokenTtlSeconds * 1000);
  const result = await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const row = await createSigningKeyRow(tx, deps.config, now);
    const retiredCount = await retireSigningKeys(tx, {
      exceptId: row.id,
      retiresAt: now,
      expiresAt,
    });
    return { kid: row.id, retiredCount };
  });
  await reloadSigningKeys(deps);
  deps.log.info(result, 'rotated the signing key');
  return result;
}
