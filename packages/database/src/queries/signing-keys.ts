import { and, desc, gt, isNull, ne, or, sql } from 'drizzle-orm';
import type { DatabaseExecutor } from '../client';
import { signingKeys, type SigningKey } from '../schema';

export type { SigningKey };

export async function insertSigningKey(
  db: DatabaseExecutor,
  params: {
    id: string;
    algorithm: string;
    publicJwk: Record<string, unknown>;
    privateJwkEncrypted: string;
    createdAt: Date;
  },
): Promise<SigningKey> {
  const [key] = await db
    .insert(signingKeys)
    .values({
      id: params.id,
      algorithm: params.algorithm,
      publicJwk: params.publicJwk,
      privateJwkEncrypted: params.privateJwkEncrypted,
      createdAt: params.createdAt,
    })
    .returning();
  if (!key) throw new Error('insert into signing_keys returned no row');
  return key;
}

/** Keys that still verify at `now` (not expired), newest first. */
export async function listUnexpiredSigningKeys(
  db: DatabaseExecutor,
  params: { now: Date },
): Promise<SigningKey[]> {
  return db
    .select()
    .from(signingKeys)
    .where(or(isNull(signingKeys.expiresAt), gt(signingKeys.expiresAt, params.now)))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.id));
}

/**
 * Stops every still-signing key except `exceptId` from signing at `retiresAt`; they keep
 * verifying until `expiresAt`. Resolves the number of keys retired.
 */
export async function retireSigningKeys(
  db: DatabaseExecutor,
  params: { exceptId: string; retiresAt: Date; expiresAt: Date },
): Promise<number> {
  const result = await db
    .update(signingKeys)
    .set({ retiresAt: params.retiresAt, expiresAt: params.expiresAt })
    .where(
      and(
        ne(signingKeys.id, params.exceptId),
        or(isNull(signingKeys.retiresAt), gt(signingKeys.retiresAt, params.retiresAt)),
      ),
    );
  return result.rowCount ?? 0;
}

/**
 * Serialises key creation across api instances for the rest of the transaction `tx`, so that
 * instances booting together create one key, not one each.
 */
export async function lockSigningKeys(tx: DatabaseExecutor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('switchyard:signing_keys'))`);
}
