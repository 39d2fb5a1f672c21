import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import {
  invitations,
  organizations,
  type Invitation,
  type MembershipRole,
  type Organization,
} from '../schema';
import { normalizeEmail } from './users';

export type { Invitation } from '../schema';

export type CreateInvitationParams = {
  orgId: string;
  email: string;
  role: MembershipRole;
  /** `hashToken` of the token e-mailed to the invitee; the token itself is never stored. */
  tokenHash: string;
  invitedByUserId: string | null;
  expiresAt: Date;
};

export async function createInvitation(
  db: DatabaseExecutor,
  params: CreateInvitationParams,
): Promise<Invitation> {
  const [invitation] = await db
    .insert(invitations)
    .values({
      orgId: params.orgId,
      email: normalizeEmail(params.email),
      role: params.role,
      tokenHash: params.tokenHash,
      invitedByUserId: params.invitedByUserId,
      expiresAt: params.expiresAt,
    })
    .returning();
  if (!invitation) throw new Error('insert into invitations returned no row');
  return invitation;
}

export type InvitationWithOrganization = Invitation & {
  organization: Pick<Organization, 'id' | 'name'>;
};

/**
 * The invitation a token was issued for, whatever its state (the caller decides what a used,
 * revoked or expired one means). Not scoped by org: the token is the credential.
 */
export async function getInvitationByTokenHash(
  db: DatabaseExecutor,
  params: { tokenHash: string },
): Promise<InvitationWithOrganization | null> {
  const [row] = await db
    .select({
      invitation: invitations,
      organization: { id: organizations.id, name: organizations.name },
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, params.tokenHash))
    .limit(1);
  return row ? { ...row.invitation, organization: row.organization } : null;
}

function pendingAt(now: Date) {
  return and(
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
    gt(invitations.expiresAt, now),
  );
}

/** Invitations of the org that can still be accepted, oldest first. */
export async function listPendingInvitations(
  db: DatabaseExecutor,
  params: { orgId: string; now: Date; limit?: number },
): Promise<Invitation[]> {
  if (!isUuid(params.orgId)) return [];
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, params.orgId), pendingAt(params.now)))
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(Math.min(Math.max(Math.trunc(params.limit ?? 200), 1), 1_000));
}

/** Revokes one pending invitation of the org; null when there is no such pending invitation. */
export async function revokeInvitation(
  db: DatabaseExecutor,
  params: { orgId: string; invitationId: string; now: Date },
): Promise<Invitation | null> {
  if (!isUuid(params.orgId) || !isUuid(params.invitationId)) return null;
  const [invitation] = await db
    .update(invitations)
    .set({ revokedAt: params.now })
    .where(
      and(
        eq(invitations.orgId, params.orgId),
        eq(invitations.id, params.invitationId),
        pendingAt(params.now),
      ),
    )
    .returning();
  return invitation ?? null;
}

/** Revokes every pending invitation of the org for `email` (a new one replaces them). */
export async function revokePendingInvitationsForEmail(
  db: DatabaseExecutor,
  params: { orgId: string; email: string; now: Date },
): Promise<Invitation[]> {
  if (!isUuid(params.orgId)) return [];
  return db
    .update(invitations)
    .set({ revokedAt: params.now })
    .where(
      and(
        eq(invitations.orgId, params.orgId),
        sql`lower(${invitations.email}) = ${normalizeEmail(params.email)}`,
        pendingAt(params.now),
      ),
    )
    .returning();
}

/**
 * Marks a pending invitation accepted. The condition makes it single-use even under concurrency:
 * of two simultaneous accepts, exactly one gets the row back; an expired or revoked one gets null.
 */
export async function markInvitationAccepted(
  db: DatabaseExecutor,
  params: { invitationId: string; now: Date },
): Promise<Invitation | null> {
  if (!isUuid(params.invitationId)) return null;
  const [invitation] = await db
    .update(invitations)
    .set({ acceptedAt: params.now })
    .where(and(eq(invitations.id, params.invitationId), pendingAt(params.now)))
    .returning();
  return invitation ?? null;
}
