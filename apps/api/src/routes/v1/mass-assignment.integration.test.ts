import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInvitation,
  createSession,
  hashPassword,
  listSessions,
  requestPasswordReset,
  setUpTwoFactor,
  verifyPassword,
} from '@switchyard/auth';
import {
  createMembership,
  createOrganization,
  createUser,
  getOrganizationById,
  getTotpCredential,
  getUserByEmail,
  getUserById,
  insertRun,
  insertSteps,
  listAgents,
  listApiKeys,
  listMailMessages,
  listMembershipsForUser,
  listOrgMembers,
  listPendingInvitations,
  listRuns,
  listRunSteps,
  listSchedules,
  listTeams,
  type Organization,
  type User,
} from '@switchyard/database';
import {
  bearer,
  createIdentityTestApp,
  latestToken,
  PASSWORD,
  totp,
  type IdentityTestApp,
} from './me/testing/identity-test-app';

/**
 * SECURITY.md 20: request bodies are allow-lists. Every route that takes a body is called with
 * `id`, `orgId`, `userId`, `ownerId`, `role` and `email` added (those that are not its own
 * fields), all naming a victim: another user and their org. The schemas drop unknown keys (the
 * code base does not use strict schemas), so each call must do what its real fields say, to
 * the caller's own data, and leave everything of the victim exactly as it was.
 *
 * The agent runtime's bodies (agents, teams, runs, schedules) are the exception: their schemas
 * are strict, so the same extra fields, plus `status` and `createdByUserId`, are refused with 400
 * naming them, and nothing is created or changed.
 */

const EXTRA_FIELDS = ['id', 'orgId', 'userId', 'ownerId', 'role', 'email'] as const;
type ExtraField = (typeof EXTRA_FIELDS)[number];

let t: IdentityTestApp;
let passwordHash: string;

beforeAll(async () => {
  // A queue prefix of its own: a run or schedule wrongly accepted must not reach a shared queue.
  t = await createIdentityTestApp({ QUEUE_PREFIX: `sy-test-api-mass-${unique()}` });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

const unique = () => randomBytes(5).toString('hex');

async function newUser(options: { verified?: boolean; password?: boolean } = {}): Promise<User> {
  return createUser(t.database.db, {
    email: `user-${unique()}@example.com`,
    name: 'Someone',
    passwordHash: options.password === false ? null : passwordHash,
    emailVerifiedAt: options.verified === false ? null : new Date(),
  });
}

async function sharedOrg(owner: User, name = 'Shared'): Promise<Organization> {
  const org = await createOrganization(t.database.db, { name, slug: `org-${unique()}` });
  await createMembership(t.database.db, { orgId: org.id, userId: owner.id, role: 'owner' });
  return org;
}

async function signIn(user: User) {
  const tokens = await createSession(
    { userId: user.id, method: 'password', twoFactorVerified: false },
    t.app.authDeps,
  );
  return { ...tokens, headers: bearer(tokens.accessToken) };
}

/** The victim (a user with an org, a session and mail) and the caller making the requests. */
type World = {
  victim: User;
  victimOrg: Organization;
  caller: User;
  headers: { authorization: string };
  refreshToken: string;
};

async function createWorld(): Promise<World> {
  const victim = await newUser();
  const victimOrg = await sharedOrg(victim, 'Victim Co');
  await signIn(victim);
  const caller = await newUser();
  const session = await signIn(caller);
  return {
    victim,
    victimOrg,
    caller,
    headers: session.headers,
    refreshToken: session.refreshToken,
  };
}

/** The extra fields, naming the victim, minus the route's own fields. */
function extras(world: World, own: ExtraField[] = []): Record<string, string> {
  const all: Record<ExtraField, string> = {
    id: world.victim.id,
    orgId: world.victimOrg.id,
    userId: world.victim.id,
    ownerId: world.victim.id,
    role: 'owner',
    email: world.victim.email,
  };
  return Object.fromEntries(EXTRA_FIELDS.filter((f) => !own.includes(f)).map((f) => [f, all[f]]));
}

/** Everything of the victim a misapplied field could change. */
async function victimState(world: World) {
  const db = t.database.db;
  const user = await getUserById(db, { userId: world.victim.id });
  const orgId = world.victimOrg.id;
  return {
    user: user && {
      email: user.email,
      name: user.name,
      passwordHash: user.passwordHash,
      emailVerifiedAt: user.emailVerifiedAt,
    },
    org: await getOrganizationById(db, { orgId }),
    members: (await listOrgMembers(db, { orgId })).map((m) => [m.userId, m.role]),
    memberships: (await listMembershipsForUser(db, { userId: world.victim.id })).map((m) => [
      m.orgId,
      m.role,
    ]),
    invitations: (await listPendingInvitations(db, { orgId, now: new Date() })).map((i) => i.id),
    apiKeys: (await listApiKeys(db, { orgId })).map((key) => key.id),
    sessions: (await listSessions({ userId: world.victim.id }, t.app.authDeps)).map((s) => s.id),
    twoFactor: (await getTotpCredential(db, { userId: world.victim.id }))?.enabledAt ?? null,
    mails: (await listMailMessages(db, { limit: 200, to: world.victim.email })).length,
    runtime: await runtimeState(orgId),
  };
}

/** Everything of an org's agents, teams, runs, steps and schedules a request could change. */
async function runtimeState(orgId: string) {
  const db = t.database.db;
  const runs = await listRuns(db, { orgId, limit: 100 });
  const steps = await Promise.all(runs.map((run) => listRunSteps(db, { orgId, runId: run.id })));
  return {
    agents: (await listAgents(db, { orgId, limit: 100 })).map((a) => [
      a.id,
      a.name,
      a.currentVersion,
      a.createdBy,
    ]),
    teams: (await listTeams(db, { orgId, limit: 100 })).map((team) => [
      team.id,
      team.name,
      team.members,
      team.createdBy,
    ]),
    runs: runs.map((run) => [run.id, run.status, run.createdByUserId, run.budget]),
    steps: steps.flat().map((step) => [step.id, step.status, step.attempt]),
    schedules: (await listSchedules(db, { orgId, limit: 100 })).map((schedule) => [
      schedule.id,
      schedule.paused,
      schedule.createdBy,
    ]),
  };
}

/** The own fields of a new agent. */
const AGENT_FIELDS = {
  name: 'Agent',
  instructions: 'You answer.',
  provider: 'scripted',
  model: 'scripted',
};

/**
 * An org of the caller's with an agent, a team, and a run of the agent with a step waiting for
 * approval. The run is written to the database directly: nothing here runs a worker.
 */
async function runtimeOrg(world: World) {
  const org = await sharedOrg(world.caller, 'Mine');
  const create = async (path: string, payload: Record<string, unknown>) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/${org.id}/${path}`,
      headers: world.headers,
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const agentId = await create('agents', AGENT_FIELDS);
  const teamId = await create('teams', {
    name: 'Team',
    strategy: 'sequential',
    members: [{ agentId }],
  });
  const run = await insertRun(t.database.db, {
    orgId: org.id,
    createdByUserId: world.caller.id,
    targetKind: 'agent',
    agentId,
    agentVersion: 1,
    teamId: null,
    teamSnapshot: null,
    input: 'Fetch the report',
    priority: 5,
    budget: {},
    scheduleId: null,
    deadlineAt: new Date(Date.now() + 3_600_000),
  });
  const [step] = await insertSteps(t.database.db, {
    steps: [
      {
        runId: run.id,
        orgId: org.id,
        kind: 'approval',
        status: 'waiting_for_approval',
        agentId,
        agentVersion: 1,
        input: { tool: 'http_fetch', arguments: { url: 'https://example.com' } },
      },
    ],
  });
  if (!step) throw new Error('insert into steps returned no row');
  return { orgId: org.id, agentId, teamId, runId: run.id, stepId: step.id };
}

/**
 * Sends a runtime route its own fields plus the extra ones and `status` and `createdByUserId`:
 * the strict schema refuses the body with 400 naming them, and the org is left as it was.
 */
async function expectRefused(
  world: World,
  orgId: string,
  call: { method: 'POST' | 'PATCH'; url: string; payload: Record<string, unknown> },
): Promise<void> {
  const before = await runtimeState(orgId);
  const response = await t.app.inject({
    method: call.method,
    url: call.url,
    headers: world.headers,
    payload: {
      ...call.payload,
      ...extras(world),
      status: 'succeeded',
      createdByUserId: world.victim.id,
    },
  });
  expect(response.statusCode, response.body).toBe(400);
  // The extra fields are the only problem: the route's own fields are valid.
  const { errors } = response.json<{ errors: Array<{ path: string; message: string }> }>();
  expect(errors, response.body).toEqual([
    { path: expect.any(String), message: expect.stringContaining('createdByUserId') },
  ]);
  expect(await runtimeState(orgId)).toEqual(before);
}

async function userIdOf(accessToken: string): Promise<string> {
  const response = await t.app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: bearer(accessToken),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ user: { id: string } }>().user.id;
}

function roleIn(orgId: string, userId: string) {
  return listOrgMembers(t.database.db, { orgId }).then(
    (members) => members.find((member) => member.userId === userId)?.role ?? null,
  );
}

/** Enrols TOTP for `user` through the service; resolves the secret. Moves the clock a step on. */
async function enableTotp(user: User, headers: { authorization: string }): Promise<string> {
  const { secret } = await setUpTwoFactor({ userId: user.id }, t.app.authDeps);
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/me/two-factor/enable',
    headers,
    payload: { code: totp(secret, t.clock.now()) },
  });
  expect(response.statusCode, response.body).toBe(200);
  t.clock.advance(30);
  return secret;
}

/**
 * One row per route with a body: `run` sends it with the extra fields and checks that it did what
 * its own fields say, to the caller's data.
 */
const ROUTES: Record<string, (world: World) => Promise<void>> = {
  'POST /v1/auth/signup': async (world) => {
    const email = `new-${unique()}@example.com`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email, password: PASSWORD, name: 'New', ...extras(world, ['email']) },
    });
    expect(response.statusCode, response.body).toBe(202);
    const created = await getUserByEmail(t.database.db, { email });
    if (!created) throw new Error('sign-up created no user');
    const memberships = await listMembershipsForUser(t.database.db, { userId: created.id });
    expect(memberships.map((m) => [m.role, m.organization.personal])).toEqual([['owner', true]]);
  },

  'POST /v1/auth/verify-email': async (world) => {
    const user = await newUser({ verified: false });
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/resend-verification',
      payload: { email: user.email },
    });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: await latestToken(t, user.email), ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    const after = await getUserById(t.database.db, { userId: user.id });
    expect(after).toMatchObject({ email: user.email, emailVerifiedAt: expect.any(Date) });
  },

  'POST /v1/auth/resend-verification': async (world) => {
    const user = await newUser({ verified: false });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/resend-verification',
      payload: { email: user.email, ...extras(world, ['email']) },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(await listMailMessages(t.database.db, { limit: 5, to: user.email })).toHaveLength(1);
  },

  'POST /v1/auth/login': async (world) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: world.caller.email, password: PASSWORD, ...extras(world, ['email']) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await userIdOf(response.json<{ accessToken: string }>().accessToken)).toBe(
      world.caller.id,
    );
  },

  'POST /v1/auth/login/two-factor': async (world) => {
    const secret = await enableTotp(world.caller, world.headers);
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: world.caller.email, password: PASSWORD },
    });
    const { challengeToken } = login.json<{ challengeToken: string }>();
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login/two-factor',
      payload: { challengeToken, code: totp(secret, t.clock.now()), ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await userIdOf(response.json<{ accessToken: string }>().accessToken)).toBe(
      world.caller.id,
    );
  },

  'POST /v1/auth/forgot-password': async (world) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/forgot-password',
      payload: { email: world.caller.email, ...extras(world, ['email']) },
    });
    expect(response.statusCode, response.body).toBe(202);
    const mails = await listMailMessages(t.database.db, { limit: 5, to: world.caller.email });
    expect(mails).toHaveLength(1);
  },

  'POST /v1/auth/reset-password': async (world) => {
    await requestPasswordReset({ email: world.caller.email }, t.app.authDeps);
    const newPassword = 'another sturdy passphrase 43';
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/reset-password',
      payload: {
        token: await latestToken(t, world.caller.email),
        password: newPassword,
        ...extras(world),
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const after = await getUserById(t.database.db, { userId: world.caller.id });
    expect((await verifyPassword(after?.passwordHash ?? '', newPassword)).valid).toBe(true);
  },

  'POST /v1/auth/refresh': async (world) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: world.refreshToken, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await userIdOf(response.json<{ accessToken: string }>().accessToken)).toBe(
      world.caller.id,
    );
  },

  'POST /v1/auth/logout-all': async (world) => {
    const other = await signIn(world.caller);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout-all',
      headers: world.headers,
      payload: { keepCurrent: true, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ revokedCount: 1 });
    expect((await listSessions({ userId: world.caller.id }, t.app.authDeps)).length).toBe(1);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/me', headers: other.headers })).statusCode,
    ).toBe(401);
  },

  'POST /v1/auth/reauthenticate': async (world) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/reauthenticate',
      headers: world.headers,
      payload: { password: PASSWORD, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await userIdOf(response.json<{ accessToken: string }>().accessToken)).toBe(
      world.caller.id,
    );
  },

  'PATCH /v1/me': async (world) => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: world.headers,
      payload: { name: 'Renamed', ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    const after = await getUserById(t.database.db, { userId: world.caller.id });
    expect(after).toMatchObject({ name: 'Renamed', email: world.caller.email });
    expect(await listMembershipsForUser(t.database.db, { userId: world.caller.id })).toEqual([]);
  },

  'POST /v1/me/password': async (world) => {
    const newPassword = 'another sturdy passphrase 44';
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: world.headers,
      payload: { currentPassword: PASSWORD, newPassword, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    const after = await getUserById(t.database.db, { userId: world.caller.id });
    expect((await verifyPassword(after?.passwordHash ?? '', newPassword)).valid).toBe(true);
  },

  'POST /v1/me/email': async (world) => {
    const newEmail = `moved-${unique()}@example.com`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/me/email',
      headers: world.headers,
      payload: { newEmail, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(await listMailMessages(t.database.db, { limit: 5, to: newEmail })).toHaveLength(1);
    const after = await getUserById(t.database.db, { userId: world.caller.id });
    expect(after?.email).toBe(world.caller.email);
  },

  'DELETE /v1/me': async (world) => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/v1/me',
      headers: world.headers,
      payload: { password: PASSWORD, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(await getUserById(t.database.db, { userId: world.caller.id })).toBeNull();
  },

  'POST /v1/me/two-factor/enable': async (world) => {
    const { secret } = await setUpTwoFactor({ userId: world.caller.id }, t.app.authDeps);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/me/two-factor/enable',
      headers: world.headers,
      payload: { code: totp(secret, t.clock.now()), ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    t.clock.advance(30);
    expect(
      (await getTotpCredential(t.database.db, { userId: world.caller.id }))?.enabledAt,
    ).toBeInstanceOf(Date);
  },

  'POST /v1/me/two-factor/disable': async (world) => {
    const secret = await enableTotp(world.caller, world.headers);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/me/two-factor/disable',
      headers: world.headers,
      payload: { code: totp(secret, t.clock.now()), ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await getTotpCredential(t.database.db, { userId: world.caller.id })).toBeNull();
  },

  'POST /v1/orgs': async (world) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/orgs',
      headers: world.headers,
      payload: { name: 'Mine', ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(201);
    const org = response.json<{ id: string; personal: boolean }>();
    expect(org.personal).toBe(false);
    expect(await roleIn(org.id, world.caller.id)).toBe('owner');
    expect(await roleIn(org.id, world.victim.id)).toBeNull();
  },

  'PATCH /v1/orgs/:orgId': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${org.id}`,
      headers: world.headers,
      payload: { name: 'Renamed', ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await getOrganizationById(t.database.db, { orgId: org.id }))?.name).toBe('Renamed');
  },

  'PATCH /v1/orgs/:orgId/members/:userId': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    const member = await newUser();
    await createMembership(t.database.db, { orgId: org.id, userId: member.id, role: 'member' });
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${org.id}/members/${member.id}`,
      headers: world.headers,
      payload: { role: 'viewer', ...extras(world, ['role']) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await roleIn(org.id, member.id)).toBe('viewer');
    expect(await roleIn(org.id, world.caller.id)).toBe('owner');
  },

  'POST /v1/orgs/:orgId/transfer-ownership': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    const member = await newUser();
    await createMembership(t.database.db, { orgId: org.id, userId: member.id, role: 'member' });
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/${org.id}/transfer-ownership`,
      headers: world.headers,
      payload: { newOwnerUserId: member.id, ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(await roleIn(org.id, member.id)).toBe('owner');
    expect(await roleIn(org.id, world.caller.id)).toBe('admin');
  },

  'POST /v1/orgs/:orgId/invitations': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    const email = `invitee-${unique()}@example.com`;
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/${org.id}/invitations`,
      headers: world.headers,
      payload: { email, role: 'member', ...extras(world, ['email', 'role']) },
    });
    expect(response.statusCode, response.body).toBe(201);
    const pending = await listPendingInvitations(t.database.db, { orgId: org.id, now: new Date() });
    expect(pending.map((i) => [i.email, i.role])).toEqual([[email, 'member']]);
  },

  'POST /v1/invitations/accept': async (world) => {
    const inviter = await newUser();
    const org = await sharedOrg(inviter, 'Inviting');
    await createInvitation(
      {
        actor: { kind: 'member', orgId: org.id, userId: inviter.id, role: 'owner' },
        orgId: org.id,
        input: { email: world.caller.email, role: 'viewer' },
      },
      t.app.authDeps,
    );
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/invitations/accept',
      headers: world.headers,
      payload: { token: await latestToken(t, world.caller.email), ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await roleIn(org.id, world.caller.id)).toBe('viewer');
  },

  'POST /v1/orgs/:orgId/api-keys': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/${org.id}/api-keys`,
      headers: world.headers,
      payload: { name: 'ci', scopes: ['run:read'], ...extras(world) },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(await listApiKeys(t.database.db, { orgId: org.id })).toHaveLength(1);
  },

  'POST /v1/orgs/:orgId/agents': async (world) => {
    const org = await sharedOrg(world.caller, 'Mine');
    await expectRefused(world, org.id, {
      method: 'POST',
      url: `/v1/orgs/${org.id}/agents`,
      payload: AGENT_FIELDS,
    });
    expect(await listAgents(t.database.db, { orgId: org.id })).toEqual([]);
  },

  'PATCH /v1/orgs/:orgId/agents/:agentId': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'PATCH',
      url: `/v1/orgs/${own.orgId}/agents/${own.agentId}`,
      payload: { name: 'Renamed' },
    });
  },

  'POST /v1/orgs/:orgId/teams': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/teams`,
      payload: { name: 'Another', strategy: 'sequential', members: [{ agentId: own.agentId }] },
    });
  },

  'PATCH /v1/orgs/:orgId/teams/:teamId': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'PATCH',
      url: `/v1/orgs/${own.orgId}/teams/${own.teamId}`,
      payload: { name: 'Renamed' },
    });
  },

  'POST /v1/orgs/:orgId/runs': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/runs`,
      payload: { target: { kind: 'agent', agentId: own.agentId }, input: 'Hi' },
    });
  },

  'POST /v1/orgs/:orgId/runs/:runId/cancel': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/runs/${own.runId}/cancel`,
      payload: { reason: 'Started by mistake.' },
    });
  },

  'POST /v1/orgs/:orgId/runs/:runId/retry': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/runs/${own.runId}/retry`,
      payload: { stepId: own.stepId },
    });
  },

  'POST /v1/orgs/:orgId/runs/:runId/steps/:stepId/approve': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/runs/${own.runId}/steps/${own.stepId}/approve`,
      payload: { comment: 'Fine.' },
    });
  },

  'POST /v1/orgs/:orgId/runs/:runId/steps/:stepId/reject': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/runs/${own.runId}/steps/${own.stepId}/reject`,
      payload: { reason: 'Not this URL.' },
    });
  },

  'POST /v1/orgs/:orgId/schedules': async (world) => {
    const own = await runtimeOrg(world);
    await expectRefused(world, own.orgId, {
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/schedules`,
      payload: {
        name: 'Morning report',
        cron: '0 9 * * 1-5',
        target: { kind: 'agent', agentId: own.agentId },
        input: 'Write the morning report',
      },
    });
    expect(await listSchedules(t.database.db, { orgId: own.orgId })).toEqual([]);
  },

  'PATCH /v1/orgs/:orgId/schedules/:scheduleId': async (world) => {
    const own = await runtimeOrg(world);
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/orgs/${own.orgId}/schedules`,
      headers: world.headers,
      payload: {
        name: 'Morning report',
        cron: '0 9 * * 1-5',
        target: { kind: 'agent', agentId: own.agentId },
        input: 'Write the morning report',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    await expectRefused(world, own.orgId, {
      method: 'PATCH',
      url: `/v1/orgs/${own.orgId}/schedules/${created.json<{ id: string }>().id}`,
      payload: { name: 'Renamed' },
    });
  },
};

/** Every route (HEAD folded into GET) whose schema declares a body. */
function routesWithBody(): string[] {
  const names = new Set<string>();
  for (const route of t.app.registeredRoutes) {
    if (!route.schema?.body) continue;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) names.add(`${method} ${route.url}`);
  }
  return [...names].sort();
}

describe('mass assignment', () => {
  it('has a row for every route that takes a body', () => {
    expect(routesWithBody()).toEqual(Object.keys(ROUTES).sort());
  });

  it.each(Object.keys(ROUTES))(
    '%s does what its own fields say and ignores ids, role and e-mail added to the body',
    async (route) => {
      const world = await createWorld();
      const before = await victimState(world);

      await ROUTES[route]?.(world);

      expect(await victimState(world)).toEqual(before);
    },
  );
});
