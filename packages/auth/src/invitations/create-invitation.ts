import {
  createInvitation as insertInvitation,
  getMembership,
  getOrganizationById,
  getUserByEmail,
  getUserById,
  normalizeEmail,
  revokePendingInvitationsForEmail,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordOrgEvent, type AuditContext } from '../access/audit-context';
import { assertCan, type MemberActor } from '../access/can';
import { getNow, type AuthDeps } from '../config';
import { generateSecretToken, hashToken } from '../crypto';
import { sendMail } from '../mail/send-mail';
import { orgNotFound } from '../orgs/get-org';
import type { CreateInvitationInput } from './invitation-schemas';
import { buildInvitationLink, buildInvitationMail } from './invitation-mail';
import { toInvitationView, type InvitationView } from './invitation-view';

export type CreateInvitationOptions = {
  actor: MemberActor;
  orgId: string;
  input: CreateInvitationInput;
  context?: AuditContext;
};

/**
 * Invites an address into the org (admin+) and e-mails it a single-use link that expires after
 * `invitationTtlSeconds`. A new invitation replaces the address's pending ones. The token is only
 * ever in the e-mail: it is stored hashed and not returned.
 */
export async function createInvitation(
  options: CreateInvitationOptions,
  deps: Pick<AuthDeps, 'db' | 'log' | 'config' | 'now'>,
): Promise<InvitationView> {
  const { actor, orgId, input } = options;
  if (actor.orgId !== orgId) throw orgNotFound();
  assertCan(actor, 'member:invite', { orgId });
  const email = normalizeEmail(input.email);
  const org = await getOrganizationById(deps.db, { orgId });
  if (!org) throw orgNotFound();
  if (org.personal) {
    throw new AppError('UNPROCESSABLE', {
      message: 'A personal organization has no other members. Create an organization to invite.',
      details: { reason: 'personal_org' },
    });
  }
  const existingUser = await getUserByEmail(deps.db, { email });
  if (existingUser && (await getMembership(deps.db, { orgId, userId: existingUser.id }))) {
    throw new AppError('CONFLICT', {
      message: 'This person is already a member.',
      details: { reason: 'already_member' },
    });
  }

  const now = getNow(deps);
  const token = generateSecretToken();
  const expiresAt = new Date(now.getTime() + deps.config.invitationTtlSeconds * 1000);
  const invitation = await deps.db.transaction(async (tx) => {
    await revokePendingInvitationsForEmail(tx, { orgId, email, now });
    const created = await insertInvitation(tx, {
      orgId,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedByUserId: actor.userId,
      expiresAt,
    });
    await recordOrgEvent(tx, {
      orgId,
      actor,
      action: 'member.invited',
      targetType: 'invitation',
      targetId: created.id,
      metadata: { email, role: input.role },
      context: options.context,
    });
    return created;
  });

  const inviter = await getUserById(deps.db, { userId: actor.userId });
  await sendMail(
    buildInvitationMail({
      to: email,
      orgName: org.name,
      inviterName: inviter?.name ?? null,
      role: input.role,
      link: buildInvitationLink(deps.config.publicUrl, token),
      expiresAt,
    }),
    deps,
  );
  return toInvitationView(invitation);
}
