import {
  createMembership,
  createOrganization,
  createUser,
  getUserByEmail,
  isUniqueViolation,
  normalizeEmail,
  type User,
} from '@switchyard/database';
import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { accountExistsMail } from '../mail/mail-templates';
import { buildPublicLink } from '../mail/build-public-link';
import { sendMail } from '../mail/send-mail';
import { createOrgSlug } from '../orgs/create-org-slug';
import { assertPasswordPolicy } from '../passwords/check-password-policy';
import { hashPassword } from '../passwords/hash-password';
import type { SignUpInput } from './account-schemas';
import { sendVerificationMail } from './send-verification-mail';

const SLUG_ATTEMPTS = 3;

/**
 * Creates an account with its personal org (the user its owner) and e-mails a verification link.
 * The caller answers the same way whether or not the address was already registered: in that
 * case nothing is created and the existing owner gets an e-mail instead. The password is hashed
 * on both paths so the timing does not tell them apart either.
 */
export async function signUp(
  options: { input: SignUpInput; context?: AuditContext },
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  const email = normalizeEmail(options.input.email);
  assertPasswordPolicy(options.input.password, { email });
  const passwordHash = await hashPassword(options.input.password);
  const name = options.input.name ?? email.split('@')[0] ?? email;

  const existing = await getUserByEmail(deps.db, { email, includeDeleted: true });
  if (existing) {
    await sendAccountExistsMail(existing, deps);
    return;
  }
  let user: User;
  try {
    user = await createUserWithPersonalOrg({ email, name, passwordHash }, deps);
  } catch (error) {
    if (!isUniqueViolation(error, 'users_email_lower_unique')) throw error;
    // Lost a race with a sign-up for the same address: the same answer as above.
    const winner = await getUserByEmail(deps.db, { email, includeDeleted: true });
    if (winner) await sendAccountExistsMail(winner, deps);
    return;
  }
  await sendVerificationMail(user, deps);
}

async function createUserWithPersonalOrg(
  params: { email: string; name: string; passwordHash: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<User> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deps.db.transaction(async (tx) => {
        const user = await createUser(tx, params);
        const org = await createOrganization(tx, {
          name: `${params.name}'s workspace`,
          slug: createOrgSlug(params.name),
          personal: true,
        });
        await createMembership(tx, { orgId: org.id, userId: user.id, role: 'owner' });
        return user;
      });
    } catch (error) {
      if (attempt < SLUG_ATTEMPTS && isUniqueViolation(error, 'organizations_slug_unique')) {
        continue;
      }
      throw error;
    }
  }
}

async function sendAccountExistsMail(
  user: User,
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<void> {
  if (user.deletedAt) return;
  await sendMail(
    {
      to: user.email,
      ...accountExistsMail({
        name: user.name,
        loginLink: buildPublicLink(deps.config.publicUrl, '/login'),
        resetLink: buildPublicLink(deps.config.publicUrl, '/forgot-password'),
      }),
    },
    deps,
  );
}
