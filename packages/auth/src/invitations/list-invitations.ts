import { listPendingInvitations } from '@switchyard/database';
import { assertCan, type Actor } from '../access/can';
import { getNow, type AuthDeps } from '../config';
import { orgNotFound } from '../orgs/get-org';
import { toInvitationView, type InvitationView } from './invitation-view';

/** The org's invitations that can still be accepted (admin+). */
export async function listInvitations(
  options: { actor: Actor; orgId: string },
  deps: Pick<AuthDeps, 'db' | 'now'>,
): Promise<InvitationView[]> {
  const { actor, orgId } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'member:invite', { orgId });
  const invitations = await listPendingInvitations(deps.db, { orgId, now: getNow(deps) });
  return invitations.map(toInvitationView);
}
