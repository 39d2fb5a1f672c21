import {
  deleteMailMessagesTo,
  deleteUserAndPersonalOrganizations,
  getUserById,
  listOrganizationsSolelyOwnedByUser,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditContext } from '../access/audit-context';
import type { AuthDeps } from '../config';
import { verifyPassword } from '../passwords/hash-password';
import { revokeAllSessions } from '../sessions';
import { confirmationFailedError } from '../two-factor/second-factor-errors';
import type { DeleteAccountInput } from './account-schemas';
import { recordAccountEvent } from './record-account-event';
import { toSessionActor } from './session-result';

/**
 * Deletes the account and its data: the user row, whose deletion cascades to memberships,
 * sessions, tokens, second factor and linked identities; the personal org; the mail sent to the
 * address. The route requires a recent re-authentication; the password is asked again here when
 * the account has one. Refused while the user is the only owner of a shared org: ownership must
 * be transferred (or the org deleted) first. Sessions end before the rows go, so every cache
 * learns of it.
 */
export async function deleteAccount(
  options: { userId: string; input: DeleteAccountInput; context?: AuditContext },
  deps: AuthDeps,
): Promise<void> {
  const { input, context } = options;
  const user = await getUserById(deps.db, { userId: options.userId });
  if (!user) throw new AppError('NOT_FOUND', { message: 'The account does not exist.' });
  if (user.passwordHash) {
    const check = await verifyPassword(user.passwordHash, input.password ?? '');
    if (!check.valid) throw confirmationFailedError('password', 'invalid_password');
  }
  const blocking = await listOrganizationsSolelyOwnedByUser(deps.db, { userId: user.id });
  if (blocking.length > 0) {
    throw new AppError('CONFLICT', {
      message:
        'You are the only owner of an organisation. Transfer its ownership or delete it first.',
      details: {
        reason: 'sole_owner',
        organizations: blocking.map((org) => ({ id: org.id, name: org.name })),
      },
    });
  }

  await revokeAllSessions(
    { userId: user.id, reason: 'account_deleted', actor: toSessionActor(user.id, context) },
    deps,
  );
  await deps.db.transaction(async (tx) => {
    // Written first, with no org (the personal org goes): the row survives with a null actor.
    await recordAccountEvent(tx, {
      userId: null,
      action: 'account.deleted',
      metadata: { userId: user.id },
      ...(context === undefined ? {} : { context }),
    });
    await deleteMailMessagesTo(tx, { to: user.email });
    await deleteUserAndPersonalOrganizations(tx, { userId: user.id });
  });
}
