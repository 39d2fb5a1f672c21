import { randomBytes } from 'node:crypto';
import {
  createMembership,
  createOrganization,
  createUser,
  type Database,
  type MembershipRole,
  type Organization,
  type User,
} from '@switchyard/database';
import type { MemberActor } from './can';

/** Builders for the org, invitation and API key tests (imported by tests only). */
export function createOrgFixtures(db: Database) {
  const unique = () => randomBytes(5).toString('hex');

  async function user(options: { email?: string; verified?: boolean; name?: string } = {}) {
    return createUser(db, {
      email: options.email ?? `user-${unique()}@example.com`,
      name: options.name ?? 'Test User',
      emailVerifiedAt: options.verified === false ? null : new Date(),
    });
  }

  async function org(options: { personal?: boolean; name?: string } = {}) {
    return createOrganization(db, {
      name: options.name ?? 'Acme',
      slug: `acme-${unique()}`,
      personal: options.personal ?? false,
    });
  }

  /** A user who is a member of `org` with `role`, and the actor for them. */
  async function member(
    organization: Organization,
    role: MembershipRole,
  ): Promise<{ user: User; actor: MemberActor }> {
    const created = await user();
    await createMembership(db, { orgId: organization.id, userId: created.id, role });
    return {
      user: created,
      actor: { kind: 'member', orgId: organization.id, userId: created.id, role },
    };
  }

  /** An org with one member of every role. */
  async function team() {
    const organization = await org();
    return {
      org: organization,
      owner: await member(organization, 'owner'),
      admin: await member(organization, 'admin'),
      member: await member(organization, 'member'),
      viewer: await member(organization, 'viewer'),
    };
  }

  return { user, org, member, team, unique };
}
