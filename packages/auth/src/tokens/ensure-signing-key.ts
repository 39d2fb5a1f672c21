import { listUnexpiredSigningKeys, lockSigningKeys } from '@switchyard/database';
import { getNow, type AuthDeps } from '../config';
import { createSigningKeyRow, isSigningKeyActive, reloadSigningKeys } from './signing-key-store';

/**
 * Makes sure a key is available to sign access tokens, creating one when none is active. Safe to
 * call from several instances booting at once: they serialise on an advisory lock.
 */
export async function ensureSigningKey(
  deps: Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>,
): Promise<{ kid: string; created: boolean }> {
  const now = getNow(deps);
  const result = await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const rows = await listUnexpiredSigningKeys(tx, { now });
    const active = rows.find((row) => isSigningKeyActive(row, now));
    if (active) return { kid: active.id, created: false };
    const row = await createSigningKeyRow(tx, deps.config, now);
    return { kid: row.id, created: true };
  });
  await reloadSigningKeys(deps);
  if (result.created) deps.log.info({ kid: result.kid }, 'created a signing key');
  return result;
}
