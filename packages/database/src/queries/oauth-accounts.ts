import { and, asc, eq } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { oauthAccounts, type OauthAccount } from '../schema';

export type { OauthAccount } from '../schema';

/** The link of this provider identity, or null; `subject` is the provider's stable user id. */
export async function getOAuthAccountByProviderSubject(
  db: DatabaseExecutor,
  params: { provider: string; subject: string },
): Promise<OauthAccount | null> {
  const [account] = await db
    .select()
    .from(oauthAccounts)
    .where(
      and(eq(oauthAccounts.provider, params.provider), eq(oauthAccounts.subject, params.subject)),
    )
    .limit(1);
  return account ?? null;
}

export type CreateOAuthAccountParams = {
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
};

/**
 * Links a provider identity to a user. A second link of the same identity fails on
 * `oauth_accounts_provider_subject_unique`.
 */
export async function createOAuthAccount(
  db: DatabaseExecutor,
  params: CreateOAuthAccountParams,
): Promise<OauthAccount> {
  const [account] = await db
    .insert(oauthAccounts)
    .values({
      userId: params.userId,
      provider: params.provider,
      subject: params.subject,
      email: params.email,
    })
    .returning();
  if (!account) throw new Error('insert into oauth_accounts returned no row');
  return account;
}

/** The identities linked to a user, oldest first. */
export async function listOAuthAccountsForUser(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<OauthAccount[]> {
  if (!isUuid(params.userId)) return [];
  return db
    .select()
    .from(oauthAccounts)
    .where(eq(oauthAccounts.userId, params.userId))
    .orderBy(asc(oauthAccounts.createdAt), asc(oauthAccounts.id));
}

/** Unlinks every provider identity of a user; resolves how many were removed. */
export async function deleteOAuthAccountsForUser(
  db: DatabaseExecutor,
  params: { userId: string },
): Promise<number> {
  if (!isUuid(params.userId)) return 0;
  const deleted = await db
    .delete(oauthAccounts)
    .where(eq(oauthAccounts.userId, params.userId))
    .returning({ id: oauthAccounts.id });
  return deleted.length;
}
