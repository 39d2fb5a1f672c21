import {
  countUnusedRecoveryCodes,
  getUserById,
  listMembershipsForUser,
  type MembershipRole,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import { isTwoFactorEnabled } from '../two-factor/verify-second-factor';
import { toPublicUser, type PublicUser } from './public-user';

export type Profile = {
  user: PublicUser;
  memberships: Array<{
    orgId: string;
    role: MembershipRole;
    organization: { id: string; name: string; slug: string; personal: boolean };
  }>;
  /** False for accounts that only sign in through an identity provider. */
  hasPassword: boolean;
  twoFactorEnabled: boolean;
  recoveryCodesRemaining: number;
};

/** `GET /v1/me`: the signed-in user, their orgs and the state of their second factor. */
export async function getProfile(
  options: { userId: string },
  deps: Pick<AuthDeps, 'db'>,
): Promise<Profile> {
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  const [memberships, twoFactorEnabled, recoveryCodesRemaining] = await Promise.all([
    listMembershipsForUser(deps.db, { userId: user.id }),
    isTwoFactorEnabled(deps.db, { userId: user.id }),
    countUnusedRecoveryCodes(deps.db, { userId: user.id }),
  ]);
  return {
    user: toPublicUser(user),
    memberships: memberships.map((membership) => ({
      orgId: membership.orgId,
      role: membership.role,
      organization: membership.organization,
    })),
    hasPassword: user.passwordHash !== null,
    twoFactorEnabled,
    recoveryCodesRemaining: twoFactorEnabled ? recoveryCodesRemaining : 0,
  };
}
