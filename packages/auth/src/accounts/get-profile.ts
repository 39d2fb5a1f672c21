import {
  countUnusedRecoveryCodes,
  getUserById,
  listMembershipsForUser,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import { isTwoFactorEnabled } from '../two-factor/verify-second-factor';
import {
  cacheProfile,
  getProfileGeneration,
  readCachedProfile,
  type Profile,
} from './profile-cache';
import { toPublicUser } from './public-user';

export type { Profile } from './profile-cache';

/**
 * `GET /v1/me`: the signed-in user, their orgs and the state of their second factor. Answered
 * from memory when this instance has it cached (see `profile-cache.ts`): the endpoint is on
 * every page of the web app and must cost no database query.
 */
export async function getProfile(
  options: { userId: string },
  deps: Pick<AuthDeps, 'db' | 'redis'>,
): Promise<Profile> {
  const cached = readCachedProfile(deps.redis, options.userId);
  if (cached) return cached;
  const generation = getProfileGeneration(deps.redis);
  return cacheProfile(deps.redis, generation, await loadProfile(options.userId, deps));
}

async function loadProfile(userId: string, deps: Pick<AuthDeps, 'db'>): Promise<Profile> {
  const user = await getUserById(deps.db, { userId });
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
