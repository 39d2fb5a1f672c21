import {
  createMembership,
  createOAuthAccount,
  createOrganization,
  createUser,
  getOAuthAccountByProviderSubject,
  getUserByEmail,
  getUserById,
  isUniqueViolation,
  type DatabaseExecutor,
  type User,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { getNow, type AuthDeps } from '../config';
import { createOrgSlug } from '../orgs/create-org-slug';
import type { OAuthIdentity } from './oauth-client';

const RETRYABLE_CONSTRAINTS = [
  'oauth_accounts_provider_subject_unique',
  'users_email_lower_unique',
  'organizations_slug_unique',
];

export type ResolveOAuthUserOptions = {
  providerId: string;
  identity: OAuthIdentity;
};

export type ResolvedOAuthUser =
  | {
      /** `existing`: linked before; `linked`: linked now by a verified e-mail; `created`: new. */
      outcome: 'existing' | 'linked' | 'created';
      user: User;
    }
  | {
      /** An account has this e-mail but one side did not verify it: no link, no sign-in. */
      outcome: 'refused';
      reason: 'account_exists';
      existingUserId: string;
    };

/**
 * The local account for a provider identity (SECURITY.md 7):
 * 1. an identity linked before signs in to its account;
 * 2. else an account with the same e-mail is linked only when the provider asserts the e-mail
 *    verified AND the account's own e-mail is verified; otherwise `refused`, because linking by
 *    an unverified address hands the account to whoever controls that identity;
 * 3. else a new account (e-mail verified when the provider says so) with its personal org.
 */
export async function resolveOAuthUser(
  options: ResolveOAuthUserOptions,
  deps: ResolveDeps,
): Promise<ResolvedOAuthUser> {
  try {
    return await deps.db.transaction((tx) => resolveInTransaction(tx, options, deps));
  } catch (error) {
    // A concurrent callback created the same link or account first (or, rarely, the random
    // slug collided): decide again against what is there now.
    if (!RETRYABLE_CONSTRAINTS.some((constraint) => isUniqueViolation(error, constraint))) {
      throw error;
    }
    return deps.db.transaction((tx) => resolveInTransaction(tx, options, deps));
  }
}

type ResolveDeps = Pick<AuthDeps, 'db' | 'now'>;

async function resolveInTransaction(
  tx: DatabaseExecutor,
  { providerId, identity }: ResolveOAuthUserOptions,
  deps: ResolveDeps,
): Promise<ResolvedOAuthUser> {
  const link = await getOAuthAccountByProviderSubject(tx, {
    provider: providerId,
    subject: identity.subject,
  });
  if (link) {
    const user = await getUserById(tx, { userId: link.userId });
    if (!user) throw accountUnavailable();
    return { user, outcome: 'existing' };
  }

  if (!identity.email) {
    throw new AppError('UNPROCESSABLE', {
      message:
        'The sign-in provider did not share an e-mail address. Add one to your account there and try again.',
      details: { reason: 'email_missing' },
    });
  }

  const existing = await getUserByEmail(tx, { email: identity.email, includeDeleted: true });
  if (existing) {
    if (existing.deletedAt) throw accountUnavailable();
    if (!identity.emailVerified || !existing.emailVerifiedAt) {
      return { outcome: 'refused', reason: 'account_exists', existingUserId: existing.id };
    }
    await createOAuthAccount(tx, {
      userId: existing.id,
      provider: providerId,
      subject: identity.subject,
      email: identity.email,
    });
    return { user: existing, outcome: 'linked' };
  }

  const user = await createUser(tx, {
    email: identity.email,
    name: identity.name ?? identity.email.split('@')[0] ?? identity.email,
    emailVerifiedAt: identity.emailVerified ? getNow(deps) : null,
  });
  const org = await createOrganization(tx, {
    name: `${user.name}'s workspace`,
    slug: createOrgSlug(user.name),
    personal: true,
  });
  await createMembership(tx, { orgId: org.id, userId: user.id, role: 'owner' });
  await createOAuthAccount(tx, {
    userId: user.id,
    provider: providerId,
    subject: identity.subject,
    email: identity.email,
  });
  return { user, outcome: 'created' };
}

function accountUnavailable(): AppError {
  return new AppError('FORBIDDEN', {
    message: 'This account is no longer available.',
    details: { reason: 'account_unavailable' },
  });
}
