import { eq } from 'drizzle-orm';
import {
  getMembership,
  listAuditEvents,
  listMailMessages,
  schema,
  type Database,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import type { Redis } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixtures } from '../access/test-fixtures';
import type { AuthConfig } from '../config';
import { hashToken } from '../crypto';
import {
  closeTestRedis,
  createTestAuthConfig,
  createTestClock,
  createTestLogger,
  createTestRedis,
} from '../testing';
import { acceptInvitation } from './accept-invitation';
import { createInvitation } from './create-invitation';
import { listInvitations } from './list-invitations';
import { revokeInvitation } from './revoke-invitation';

let database: TestDatabase;
let fx: ReturnType<typeof createOrgFixtures>;
const clock = createTestClock();
let deps: {
  db: Database;
  redis: Redis;
  log: ReturnType<typeof createTestLogger>;
  config: AuthConfig;
  now: () => Date;
};

beforeAll(async () => {
  database = await createTestDatabase();
  fx = createOrgFixtures(database.db);
  deps = {
    db: database.db,
    redis: createTestRedis(),
    log: createTestLogger(),
    config: createTestAuthConfig({ publicUrl: 'https://switchyard.example.com' }),
    now: clock.now,
  };
});
afterAll(async () => {
  if (deps) await closeTestRedis(deps.redis);
  await database.drop();
});

/** The token from the newest invitation e-mail sent to `email`. */
async function tokenMailedTo(email: string): Promise<string> {
  const [message] = await listMailMessages(database.db, { limit: 1, to: email });
  const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(message?.text ?? '');
  if (!match?.[1]) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

async function invite(role: 'admin' | 'member' | 'viewer' = 'member') {
  const t = await fx.team();
  const email = `invitee-${fx.unique()}@example.com`;
  const invitation = await createInvitation(
    { actor: t.admin.actor, orgId: t.org.id, input: { email, role } },
    deps,
  );
  return { t, email, invitation, token: await tokenMailedTo(email) };
}

describe('createInvitation', () => {
  it('e-mails a link built from the public URL and stores only the hash of its token', async () => {
    const { t, email, invitation, token } = await invite('admin');

    const [message] = await listMailMessages(database.db, { limit: 1, to: email });
    expect(message?.subject).toBe('Join Acme on Switchyard');
    expect(message?.text).toContain(
      `https://switchyard.example.com/invitations/accept?token=${token}`,
    );
    expect(token.length).toBeGreaterThanOrEqual(43);
    const [row] = await database.db
      .select()
      .from(schema.invitations)
      .where(eq(schema.invitations.id, invitation.id));
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(invitation).toMatchObject({ orgId: t.org.id, email, role: 'admin' });
    expect(invitation.expiresAt.getTime() - clock.now().getTime()).toBe(7 * 24 * 3600 * 1000);
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({ action: 'member.invited', metadata: { email, role: 'admin' } });
  });

  it('refuses members and viewers', async () => {
    const t = await fx.team();

    for (const actor of [t.member.actor, t.viewer.actor]) {
      await expect(
        createInvitation(
          { actor, orgId: t.org.id, input: { email: 'x@example.com', role: 'viewer' } },
          deps,
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('refuses inviting into a personal org, and inviting an existing member', async () => {
    const personal = await fx.org({ personal: true });
    const owner = await fx.member(personal, 'owner');
    const t = await fx.team();

    await expect(
      createInvitation(
        {
          actor: owner.actor,
          orgId: personal.id,
          input: { email: 'y@example.com', role: 'member' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE', details: { reason: 'personal_org' } });
    await expect(
      createInvitation(
        {
          actor: t.admin.actor,
          orgId: t.org.id,
          input: { email: t.member.user.email.toUpperCase(), role: 'admin' },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'already_member' } });
  });

  it('replaces the pending invitation of the same address', async () => {
    const { t, email, token: first } = await invite('viewer');
    await createInvitation(
      { actor: t.owner.actor, orgId: t.org.id, input: { email, role: 'member' } },
      deps,
    );
    const second = await tokenMailedTo(email);
    const user = await fx.user({ email });

    await expect(
      acceptInvitation({ userId: user.id, input: { token: first } }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { reason: 'revoked' } });
    const pending = await listInvitations({ actor: t.admin.actor, orgId: t.org.id }, deps);
    expect(pending.map((entry) => [entry.email, entry.role])).toEqual([[email, 'member']]);
    await acceptInvitation({ userId: user.id, input: { token: second } }, deps);
    expect((await getMembership(database.db, { orgId: t.org.id, userId: user.id }))?.role).toBe(
      'member',
    );
  });
});

describe('acceptInvitation', () => {
  it('joins the org with the invited role and records it', async () => {
    const { t, email, token } = await invite('viewer');
    const user = await fx.user({ email });

    const accepted = await acceptInvitation({ userId: user.id, input: { token } }, deps);

    expect(accepted).toEqual({ orgId: t.org.id, orgName: 'Acme', role: 'viewer' });
    expect((await getMembership(database.db, { orgId: t.org.id, userId: user.id }))?.role).toBe(
      'viewer',
    );
    const [event] = await listAuditEvents(database.db, { orgId: t.org.id, limit: 1 });
    expect(event).toMatchObject({
      action: 'member.joined',
      actorUserId: user.id,
      metadata: { role: 'viewer' },
    });
  });

  it('works only once', async () => {
    const { t, email, token } = await invite();
    const user = await fx.user({ email });
    await acceptInvitation({ userId: user.id, input: { token } }, deps);
    await database.db.delete(schema.memberships).where(eq(schema.memberships.userId, user.id));

    await expect(
      acceptInvitation({ userId: user.id, input: { token } }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { reason: 'used' } });
    expect(await getMembership(database.db, { orgId: t.org.id, userId: user.id })).toBeNull();
  });

  it('lets exactly one of two simultaneous accepts through', async () => {
    const { t, email, token } = await invite();
    const user = await fx.user({ email });

    const results = await Promise.allSettled([
      acceptInvitation({ userId: user.id, input: { token } }, deps),
      acceptInvitation({ userId: user.id, input: { token } }, deps),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await getMembership(database.db, { orgId: t.org.id, userId: user.id }))?.role).toBe(
      'member',
    );
  });

  it('refuses an expired invitation', async () => {
    const { t, email, token } = await invite();
    const user = await fx.user({ email });
    clock.advance(deps.config.invitationTtlSeconds);

    try {
      await expect(
        acceptInvitation({ userId: user.id, input: { token } }, deps),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { reason: 'expired' } });
      expect(await getMembership(database.db, { orgId: t.org.id, userId: user.id })).toBeNull();
    } finally {
      clock.advance(-deps.config.invitationTtlSeconds);
    }
  });

  it('refuses an account with another e-mail, even a verified one', async () => {
    const { t, token } = await invite();
    const someoneElse = await fx.user();

    await expect(
      acceptInvitation({ userId: someoneElse.id, input: { token } }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'email_mismatch' } });
    expect(
      await getMembership(database.db, { orgId: t.org.id, userId: someoneElse.id }),
    ).toBeNull();
  });

  it('refuses the invited address until it is verified', async () => {
    const { t, email, token } = await invite();
    const unverified = await fx.user({ email, verified: false });

    await expect(
      acceptInvitation({ userId: unverified.id, input: { token } }, deps),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'email_not_verified' } });
    expect(await getMembership(database.db, { orgId: t.org.id, userId: unverified.id })).toBeNull();

    await database.db
      .update(schema.users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(schema.users.id, unverified.id));
    await expect(
      acceptInvitation({ userId: unverified.id, input: { token } }, deps),
    ).resolves.toMatchObject({ orgId: t.org.id });
  });

  it('refuses a revoked invitation and an unknown token', async () => {
    const { t, email, invitation, token } = await invite();
    const user = await fx.user({ email });
    await revokeInvitation(
      { actor: t.admin.actor, orgId: t.org.id, invitationId: invitation.id },
      deps,
    );

    await expect(
      acceptInvitation({ userId: user.id, input: { token } }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { reason: 'revoked' } });
    await expect(
      acceptInvitation({ userId: user.id, input: { token: `${token}x` } }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { reason: 'not_found' } });
    expect(await listInvitations({ actor: t.admin.actor, orgId: t.org.id }, deps)).toEqual([]);
  });
});

describe('revokeInvitation', () => {
  it("answers 404 for another org's invitation", async () => {
    const { invitation } = await invite();
    const other = await fx.team();

    await expect(
      revokeInvitation(
        { actor: other.owner.actor, orgId: other.org.id, invitationId: invitation.id },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
