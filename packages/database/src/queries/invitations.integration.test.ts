import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import {
  createInvitation,
  getInvitationByTokenHash,
  listPendingInvitations,
  markInvitationAccepted,
  revokeInvitation,
  revokePendingInvitationsForEmail,
} from './invitations';
import { createOrganization } from './organizations';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

let counter = 0;
const now = new Date('2030-01-01T00:00:00.000Z');
const later = new Date('2030-01-08T00:00:00.000Z');

async function setup() {
  counter += 1;
  const org = await createOrganization(database.db, { name: 'Org', slug: `inv-${counter}` });
  const other = await createOrganization(database.db, { name: 'Other', slug: `inv-o-${counter}` });
  const invitation = await createInvitation(database.db, {
    orgId: org.id,
    email: ` Invitee${counter}@Example.COM `,
    role: 'admin',
    tokenHash: `hash-${counter}`,
    invitedByUserId: null,
    expiresAt: later,
  });
  return { org, other, invitation };
}

describe('invitations queries', () => {
  it('stores the address normalised and finds the invitation by its token hash', async () => {
    const { org, invitation } = await setup();

    expect(invitation.email).toBe(`invitee${counter}@example.com`);
    const found = await getInvitationByTokenHash(database.db, { tokenHash: `hash-${counter}` });
    expect(found).toMatchObject({ id: invitation.id, organization: { id: org.id, name: 'Org' } });
    expect(await getInvitationByTokenHash(database.db, { tokenHash: 'nope' })).toBeNull();
  });

  it('accepts a pending invitation once, and never an expired one', async () => {
    const { invitation } = await setup();

    expect(
      await markInvitationAccepted(database.db, { invitationId: invitation.id, now: later }),
    ).toBeNull();
    const accepted = await markInvitationAccepted(database.db, {
      invitationId: invitation.id,
      now,
    });
    expect(accepted?.acceptedAt).toEqual(now);
    expect(
      await markInvitationAccepted(database.db, { invitationId: invitation.id, now }),
    ).toBeNull();
  });

  it('revokes only within its own org, and lists only pending invitations', async () => {
    const { org, other, invitation } = await setup();

    expect(
      await revokeInvitation(database.db, { orgId: other.id, invitationId: invitation.id, now }),
    ).toBeNull();
    expect(await listPendingInvitations(database.db, { orgId: org.id, now })).toHaveLength(1);
    expect(await listPendingInvitations(database.db, { orgId: org.id, now: later })).toEqual([]);

    const revoked = await revokeInvitation(database.db, {
      orgId: org.id,
      invitationId: invitation.id,
      now,
    });
    expect(revoked?.revokedAt).toEqual(now);
    expect(await listPendingInvitations(database.db, { orgId: org.id, now })).toEqual([]);
    expect(
      await markInvitationAccepted(database.db, { invitationId: invitation.id, now }),
    ).toBeNull();
  });

  it('revokes the pending invitations of one address in one org', async () => {
    const { org, other, invitation } = await setup();
    const elsewhere = await createInvitation(database.db, {
      orgId: other.id,
      email: invitation.email,
      role: 'member',
      tokenHash: `hash-elsewhere-${counter}`,
      invitedByUserId: null,
      expiresAt: later,
    });

    const revoked = await revokePendingInvitationsForEmail(database.db, {
      orgId: org.id,
      email: invitation.email.toUpperCase(),
      now,
    });

    expect(revoked.map((row) => row.id)).toEqual([invitation.id]);
    expect(
      (await listPendingInvitations(database.db, { orgId: other.id, now })).map((row) => row.id),
    ).toEqual([elsewhere.id]);
  });
});
