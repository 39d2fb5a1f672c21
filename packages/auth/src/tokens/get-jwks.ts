import type { AuthDeps } from '../config';
import { listPublicJwks } from './signing-key-store';

export type Jwks = { keys: Record<string, unknown>[] };

/** The JSON Web Key Set: public keys of every key that still verifies, newest first. */
export async function getJwks(
  deps: Pick<AuthDeps, 'db' | 'config' | 'log' | 'now'>,
): Promise<Jwks> {
  return { keys: await listPublicJwks(deps) };
}
