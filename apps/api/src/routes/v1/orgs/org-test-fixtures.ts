import { randomBytes } from 'node:crypto';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createApiKey, createSession, type Permission } from '@switchyard/auth';
import {
  createMembership,
  createOrganization,
  createUser,
  listMailMessages,
  type MembershipRole,
  type Organization,
  type User,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../../../app';
import { createTestConfig } from '../../../testing/test-app';

/** Builders for the org, invitation and API key route tests (imported by tests only). */
export type OrgTestContext = {
  app: App;
  database: TestDatabase;
  close: () => Promise<void>;
};

export async function startOrgTestApp(): Promise<OrgTestContext> {
  const database = await createTestDatabase();
  let redis: Redis | undefined;
  try {
    redis = createTestRedis();
    const app = await buildApp(
      createTestConfig({ DATABASE_URL: database.url, PUBLIC_URL: 'http://localhost:3000' }),
      {
        database: { db: database.db, pool: database.pool },
        redis,
        logger: createLogger({ name: 'api', level: 'silent' }),
      },
    );
    await app.ready();
    const client = redis;
    return {
      app,
      database,
      close: async () => {
        await app.close();
        await closeTestRedis(client);
        await database.drop();
      },
    };
  } catch (error) {
    if (redis) await closeTestRedis(redis);
    await database.drop();
    throw error;
  }
}

export type Headers = { authorization: string };
export type TestMember = { user: User; headers: Headers };

export function createOrgRouteFixtures(context: OrgTestContext) {
  const { app, database } = context;
  const db = database.db;
  const unique = () => randomBytes(5).toString('hex');

  async function user(options: { email?: string; verified?: boolean } = {}): Promise<User> {
    return createUser(db, {
      email: options.email ?? `user-${unique()}@example.com`,
      name: 'Test User',
      emailVerifiedAt: options.verified === false ? null : new Date(),
    });
  }

  /** Bearer headers of a fresh session of `someone`. */
  async function signIn(someone: User, options: { twoFactor?: boolean } = {}): Promise<Headers> {
    const { accessToken } = await createSession(
      { userId: someone.id, method: 'password', twoFactorVerified: options.twoFactor ?? false },
      app.authDeps,
    );
    return { authorization: `Bearer ${accessToken}` };
  }

  async function member(org: Organization, role: MembershipRole): Promise<TestMember> {
    const created = await user();
    await createMembership(db, { orgId: org.id, userId: created.id, role });
    return { user: created, headers: await signIn(created) };
  }

  /** A shared org with one member of every role plus a plain member to act upon. */
  async function team() {
    const org = await createOrganization(db, { name: 'Acme', slug: `acme-${unique()}` });
    return {
      org,
      owner: await member(org, 'owner'),
      admin: await member(org, 'admin'),
      member: await member(org, 'member'),
      viewer: await member(org, 'viewer'),
      target: await member(org, 'member'),
    };
  }

  /** A key of the team's org created by its owner; returns the key string and its id. */
  async function apiKey(
    t: Awaited<ReturnType<typeof team>>,
    scopes: Permission[],
  ): Promise<{ id: string; key: string; headers: Headers }> {
    const created = await createApiKey(
      {
        actor: { kind: 'member', orgId: t.org.id, userId: t.owner.user.id, role: 'owner' },
        orgId: t.org.id,
        input: { name: 'test key', scopes },
      },
      { db },
    );
    return {
      id: created.apiKey.id,
      key: created.key,
      headers: { authorization: `Bearer ${created.key}` },
    };
  }

  /** The token of the newest invitation e-mailed to `email`. */
  async function invitationTokenFor(email: string): Promise<string> {
    const [message] = await listMailMessages(db, { limit: 1, to: email });
    const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(message?.text ?? '');
    if (!match?.[1]) throw new Error(`no invitation was mailed to ${email}`);
    return match[1];
  }

  return { user, signIn, member, team, apiKey, invitationTokenFor, unique };
}

export type OrgRouteFixtures = ReturnType<typeof createOrgRouteFixtures>;
export type TestTeam = Awaited<ReturnType<OrgRouteFixtures['team']>>;
