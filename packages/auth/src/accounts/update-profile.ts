import { updateUser } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuthDeps } from '../config';
import type { UpdateProfileInput } from './account-schemas';
import { invalidateProfiles } from './profile-cache';
import { toPublicUser, type PublicUser } from './public-user';

/**
 * `PATCH /v1/me`: only the display name. The e-mail changes through `requestEmailChange`, roles
 * through the org routes; ids are never taken from a client (SECURITY.md 20).
 */
export async function updateProfile(
  options: { userId: string; input: UpdateProfileInput },
  deps: Pick<AuthDeps, 'db' | 'redis' | 'log'>,
): Promise<PublicUser> {
  const user = await updateUser(deps.db, {
    userId: options.userId,
    changes: { name: options.input.name },
  });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  await invalidateProfiles({ userIds: [user.id] }, deps);
  return toPublicUser(user);
}
