import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, createInvitation, createSession } from '@switchyard/auth';
import {
  getAgent,
  getOrganizationById,
  getRun,
  getSchedule,
  getSessionById,
  getStep,
  getTeam,
  insertRun,
  insertSchedule,
  insertSteps,
  listAgents,
  listApiKeys,
  listOrgMembers,
  listPendingInvitations,
  listRuns,
  listSchedules,
  listTeams,
} from '@switchyard/database';
import type { Headers, OrgRouteFixtures, TestTeam } from './orgs/org-test-fixtures';
import { startRuntimeTestApp, type RuntimeTestApp } from './runs-testing/runtime-test-app';

/**
 * SECURITY.md 19 and 21: a member of org A gets 404 for every resource of org B, on every route
 * that takes an id, exactly as for an id that does not exist. The guard below fails when a route
 * with an id parameter is added without a row here.
 */

/** The ids a request names. */
type Ids = {
  orgId: string;
  userId: string;
  invitationId: string;
  keyId: string;
  sessionId: string;
  agentId: string;
  teamId: string;
  runId: string;
  stepId: string;
  scheduleId: string;
};
type Call = Pick<InjectOptions, 'method' | 'url' | 'payload'>;
type Route = {
  call: (ids: Ids) => Call;
  /**
   * Whether the route names a resource inside the org (path or body), so that org A's path
   * with org B's resource is tried too.
   */
  namesResourceInOrg: boolean;
  /**
   * The answer to org A's path with org B's resource named only in the body, when it is a
   * validation error rather than 404: the same error as for a resource that does not exist.
   */
  foreignInBody?: 422;
};

const ROUTES: Record<string, Route> = {
  'GET /v1/orgs/:orgId': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}` }),
    namesResourceInOrg: false,
  },
  'PATCH /v1/orgs/:orgId': {
    call: (ids) => ({ method: 'PATCH', url: `/v1/orgs/${ids.orgId}`, payload: { name: 'Taken' } }),
    namesResourceInOrg: false,
  },
  'DELETE /v1/orgs/:orgId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}` }),
    namesResourceInOrg: false,
  },
  'GET /v1/orgs/:orgId/members': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/members` }),
    namesResourceInOrg: false,
  },
  'PATCH /v1/orgs/:orgId/members/:userId': {
    call: (ids) => ({
      method: 'PATCH',
      url: `/v1/orgs/${ids.orgId}/members/${ids.userId}`,
      payload: { role: 'viewer' },
    }),
    namesResourceInOrg: true,
  },
  'DELETE /v1/orgs/:orgId/members/:userId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}/members/${ids.userId}` }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/leave': {
    call: (ids) => ({ method: 'POST', url: `/v1/orgs/${ids.orgId}/leave` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/transfer-ownership': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/transfer-ownership`,
      payload: { newOwnerUserId: ids.userId },
    }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/invitations': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/invitations` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/invitations': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/invitations`,
      payload: { email: `intruder-${ids.userId}@example.com`, role: 'admin' },
    }),
    namesResourceInOrg: false,
  },
  'DELETE /v1/orgs/:orgId/invitations/:invitationId': {
    call: (ids) => ({
      method: 'DELETE',
      url: `/v1/orgs/${ids.orgId}/invitations/${ids.invitationId}`,
    }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/api-keys': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/api-keys` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/api-keys': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/api-keys`,
      payload: { name: 'intruder', scopes: ['run:read'] },
    }),
    namesResourceInOrg: false,
  },
  'DELETE /v1/orgs/:orgId/api-keys/:keyId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}/api-keys/${ids.keyId}` }),
    namesResourceInOrg: true,
  },
  'DELETE /v1/api-keys/:keyId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/api-keys/${ids.keyId}` }),
    namesResourceInOrg: false,
  },
  'GET /v1/orgs/:orgId/audit-log': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/audit-log` }),
    namesResourceInOrg: false,
  },
  'GET /v1/orgs/:orgId/agents': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/agents` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/agents': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/agents`,
      payload: { name: 'Intruder', instructions: 'x', provider: 'scripted', model: 'scripted' },
    }),
    namesResourceInOrg: false,
  },
  'GET /v1/orgs/:orgId/agents/:agentId': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/agents/${ids.agentId}` }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/agents/:agentId/versions': {
    call: (ids) => ({
      method: 'GET',
      url: `/v1/orgs/${ids.orgId}/agents/${ids.agentId}/versions`,
    }),
    namesResourceInOrg: true,
  },
  'PATCH /v1/orgs/:orgId/agents/:agentId': {
    call: (ids) => ({
      method: 'PATCH',
      url: `/v1/orgs/${ids.orgId}/agents/${ids.agentId}`,
      payload: { name: 'Stolen' },
    }),
    namesResourceInOrg: true,
  },
  'DELETE /v1/orgs/:orgId/agents/:agentId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}/agents/${ids.agentId}` }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/teams': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/teams` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/teams': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/teams`,
      payload: { name: 'Intruders', strategy: 'sequential', members: [{ agentId: ids.agentId }] },
    }),
    namesResourceInOrg: true,
    // A team's members are checked like the rest of its fields: "no such agent".
    foreignInBody: 422,
  },
  'GET /v1/orgs/:orgId/teams/:teamId': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/teams/${ids.teamId}` }),
    namesResourceInOrg: true,
  },
  'PATCH /v1/orgs/:orgId/teams/:teamId': {
    call: (ids) => ({
      method: 'PATCH',
      url: `/v1/orgs/${ids.orgId}/teams/${ids.teamId}`,
      payload: { name: 'Stolen' },
    }),
    namesResourceInOrg: true,
  },
  'DELETE /v1/orgs/:orgId/teams/:teamId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}/teams/${ids.teamId}` }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/runs': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/runs` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/runs': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/runs`,
      payload: { target: { kind: 'agent', agentId: ids.agentId }, input: 'Hi' },
    }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/runs/:runId': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}` }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/runs/:runId/events': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}/events` }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/runs/:runId/cancel': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}/cancel`,
      payload: {},
    }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/runs/:runId/retry': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}/retry`,
      payload: {},
    }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/runs/:runId/steps/:stepId/approve': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}/steps/${ids.stepId}/approve`,
      payload: {},
    }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/runs/:runId/steps/:stepId/reject': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/runs/${ids.runId}/steps/${ids.stepId}/reject`,
      payload: {},
    }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/schedules': {
    call: (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}/schedules` }),
    namesResourceInOrg: false,
  },
  'POST /v1/orgs/:orgId/schedules': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/schedules`,
      payload: {
        name: 'Intruder',
        cron: '0 9 * * 1-5',
        target: { kind: 'agent', agentId: ids.agentId },
        input: 'Hi',
      },
    }),
    namesResourceInOrg: true,
  },
  'GET /v1/orgs/:orgId/schedules/:scheduleId': {
    call: (ids) => ({
      method: 'GET',
      url: `/v1/orgs/${ids.orgId}/schedules/${ids.scheduleId}`,
    }),
    namesResourceInOrg: true,
  },
  'PATCH /v1/orgs/:orgId/schedules/:scheduleId': {
    call: (ids) => ({
      method: 'PATCH',
      url: `/v1/orgs/${ids.orgId}/schedules/${ids.scheduleId}`,
      payload: { name: 'Intruder' },
    }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/schedules/:scheduleId/pause': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/schedules/${ids.scheduleId}/pause`,
    }),
    namesResourceInOrg: true,
  },
  'POST /v1/orgs/:orgId/schedules/:scheduleId/resume': {
    call: (ids) => ({
      method: 'POST',
      url: `/v1/orgs/${ids.orgId}/schedules/${ids.scheduleId}/resume`,
    }),
    namesResourceInOrg: true,
  },
  'DELETE /v1/orgs/:orgId/schedules/:scheduleId': {
    call: (ids) => ({
      method: 'DELETE',
      url: `/v1/orgs/${ids.orgId}/schedules/${ids.scheduleId}`,
    }),
    namesResourceInOrg: true,
  },
  // Sessions belong to a user, not an org: org B's member's session is another user's.
  'DELETE /v1/me/sessions/:sessionId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/me/sessions/${ids.sessionId}` }),
    namesResourceInOrg: false,
  },
};

/**
 * Routes with an id parameter that name no org's resource on purpose: the worker manager's
 * operator routes act across every org, for platform admins only (`platform-admin` policy; its
 * own test, `admin/admin.integration.test.ts`, shows every org member and API key refused).
 */
const CROSS_ORG_ROUTES = [
  'POST /v1/admin/queues/:name/jobs/:jobId/retry',
  'DELETE /v1/admin/queues/:name/jobs/:jobId',
];

let context: RuntimeTestApp;
let fx: OrgRouteFixtures;

// The runtime test app gives the api a queue prefix of its own: nothing here runs a worker.
beforeAll(async () => {
  context = await startRuntimeTestApp();
  fx = context.fixtures;
});
afterAll(async () => {
  await context?.close();
});

/** Every `/v1` route (HEAD folded into GET) with a parameter named like an id. */
function routesTakingAnId(): string[] {
  const names = new Set<string>();
  for (const route of context.app.registeredRoutes) {
    if (!route.url.startsWith('/v1/') || !/:\w*Id\b/.test(route.url)) continue;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) names.add(`${method === 'HEAD' ? 'GET' : method} ${route.url}`);
  }
  return [...names].sort();
}

describe('the tenant isolation table', () => {
  it('lists every /v1 route that takes an id', () => {
    const routes = routesTakingAnId().filter((route) => !CROSS_ORG_ROUTES.includes(route));
    expect(routes).toEqual(Object.keys(ROUTES).sort());
  });

  it('leaves out only platform-admin routes, each still registered', () => {
    const policies = new Map<string, string | undefined>();
    for (const route of context.app.registeredRoutes) {
      const methods: string[] = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        policies.set(`${method} ${route.url}`, route.config?.policy?.kind);
      }
    }
    for (const route of CROSS_ORG_ROUTES) expect(policies.get(route), route).toBe('platform-admin');
  });
});

type Tenant = { t: TestTeam; ids: Ids; key: Headers; sessionHeaders: Headers };

/** Creates a resource of the org through its route, as the org's owner; resolves its id. */
async function created(t: TestTeam, url: string, payload: Record<string, unknown>) {
  const response = await context.app.inject({
    method: 'POST',
    url: `/v1/orgs/${t.org.id}/${url}`,
    headers: t.owner.headers,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

/**
 * An agent, a team, a run of the agent with a step waiting for approval, and a schedule. The run
 * and its step are written to the database directly (creating a run through its route enqueues it
 * for a worker), and so is the schedule (its route registers a job scheduler).
 */
async function runtimeResources(t: TestTeam) {
  const db = context.database.db;
  const agentId = await created(t, 'agents', {
    name: 'Agent',
    instructions: 'You answer.',
    provider: 'scripted',
    model: 'scripted',
  });
  const teamId = await created(t, 'teams', {
    name: 'Team',
    strategy: 'sequential',
    members: [{ agentId }],
  });
  const run = await insertRun(db, {
    orgId: t.org.id,
    createdByUserId: t.owner.user.id,
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
  const [step] = await insertSteps(db, {
    steps: [
      {
        runId: run.id,
        orgId: t.org.id,
        kind: 'approval',
        status: 'waiting_for_approval',
        agentId,
        agentVersion: 1,
        input: { tool: 'http_fetch', arguments: { url: 'https://example.com' } },
      },
    ],
  });
  if (!step) throw new Error('insert into steps returned no row');
  const schedule = await insertSchedule(db, {
    orgId: t.org.id,
    createdBy: t.owner.user.id,
    name: 'Schedule',
    cron: '0 9 * * 1-5',
    timezone: 'UTC',
    target: { kind: 'agent', id: agentId, input: 'Report' },
    paused: false,
  });
  return { agentId, teamId, runId: run.id, stepId: step.id, scheduleId: schedule.id };
}

/**
 * An org with members, a pending invitation, an API key, a session of its target member, and
 * agent runtime resources.
 */
async function tenant(): Promise<Tenant> {
  const t = await fx.team();
  const invitation = await createInvitation(
    {
      actor: { kind: 'member', orgId: t.org.id, userId: t.owner.user.id, role: 'owner' },
      orgId: t.org.id,
      input: { email: `pending-${fx.unique()}@example.com`, role: 'viewer' },
    },
    context.app.authDeps,
  );
  const apiKey = await fx.apiKey(t, [...API_KEY_SCOPES]);
  const { session, accessToken } = await createSession(
    { userId: t.target.user.id, method: 'password', twoFactorVerified: false },
    context.app.authDeps,
  );
  return {
    t,
    key: apiKey.headers,
    sessionHeaders: { authorization: `Bearer ${accessToken}` },
    ids: {
      orgId: t.org.id,
      userId: t.target.user.id,
      invitationId: invitation.id,
      keyId: apiKey.id,
      sessionId: session.id,
      ...(await runtimeResources(t)),
    },
  };
}

describe("org A's callers and org B's ids", () => {
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    a = await tenant();
    b = await tenant();
  });

  type Variant = 'B ids' | 'A path, B ids';

  /** The ids of a variant; with `missing`, org B's ids are replaced by ids that do not exist. */
  function idsFor(variant: Variant, missing = false): Ids {
    const orgId = variant === 'B ids' ? (missing ? randomUUID() : b.ids.orgId) : a.ids.orgId;
    if (!missing) return { ...b.ids, orgId };
    return {
      orgId,
      userId: randomUUID(),
      invitationId: randomUUID(),
      keyId: randomUUID(),
      sessionId: randomUUID(),
      agentId: randomUUID(),
      teamId: randomUUID(),
      runId: randomUUID(),
      stepId: randomUUID(),
      scheduleId: randomUUID(),
    };
  }

  const cases = Object.entries(ROUTES).flatMap(([name, route]) => [
    { name, variant: 'B ids' as Variant },
    ...(route.namesResourceInOrg ? [{ name, variant: 'A path, B ids' as Variant }] : []),
  ]);

  async function send(name: string, ids: Ids, headers: Headers) {
    const route = ROUTES[name];
    if (!route) throw new Error(`no route ${name}`);
    return context.app.inject({ ...route.call(ids), headers });
  }

  /** 404, or the route's `foreignInBody` answer when only the body names org B's resource. */
  function refusal(name: string, variant: Variant): number {
    const foreignInBody = variant === 'A path, B ids' ? ROUTES[name]?.foreignInBody : undefined;
    return foreignInBody ?? 404;
  }

  it.each(cases)(
    "$name with $variant answers org A's owner 404 (or as for missing ids)",
    async ({ name, variant }) => {
      const response = await send(name, idsFor(variant), a.t.owner.headers);

      expect(response.statusCode, response.body).toBe(refusal(name, variant));
    },
  );

  const callers = ['admin', 'member', 'viewer', 'key'] as const;
  const callerCases = cases.flatMap((entry) => callers.map((caller) => ({ ...entry, caller })));

  it.each(callerCases)(
    '$name with $variant answers org A’s $caller exactly as for ids that do not exist',
    async ({ name, variant, caller }) => {
      const headers = caller === 'key' ? a.key : a.t[caller].headers;

      const response = await send(name, idsFor(variant), headers);
      const missing = await send(name, idsFor(variant, true), headers);

      expect([403, refusal(name, variant)]).toContain(response.statusCode);
      expect(response.statusCode, response.body).toBe(missing.statusCode);
    },
  );

  it('left every resource of org B as it was', async () => {
    const db = context.database.db;
    expect((await getOrganizationById(db, { orgId: b.ids.orgId }))?.name).toBe('Acme');
    const members = await listOrgMembers(db, { orgId: b.ids.orgId });
    expect(members.map((member) => member.role)).toEqual([
      'owner',
      'admin',
      'member',
      'viewer',
      'member',
    ]);
    const pending = await listPendingInvitations(db, { orgId: b.ids.orgId, now: new Date() });
    expect(pending.map((invitation) => invitation.id)).toEqual([b.ids.invitationId]);
    const keys = await listApiKeys(db, { orgId: b.ids.orgId });
    expect(keys.map((key) => [key.id, key.revokedAt])).toEqual([[b.ids.keyId, null]]);
    expect((await getSessionById(db, { sessionId: b.ids.sessionId }))?.revokedAt).toBeNull();
    const sessions = await context.app.inject({
      method: 'GET',
      url: '/v1/me/sessions',
      headers: b.sessionHeaders,
    });
    expect(sessions.statusCode).toBe(200);
    const orgId = b.ids.orgId;
    const agent = await getAgent(db, { orgId, agentId: b.ids.agentId });
    expect([agent?.name, agent?.currentVersion]).toEqual(['Agent', 1]);
    expect((await getTeam(db, { orgId, teamId: b.ids.teamId }))?.name).toBe('Team');
    expect((await getRun(db, { orgId, runId: b.ids.runId }))?.status).toBe('queued');
    expect((await getStep(db, { orgId, stepId: b.ids.stepId }))?.status).toBe(
      'waiting_for_approval',
    );
    expect((await getSchedule(db, { orgId, scheduleId: b.ids.scheduleId }))?.paused).toBe(false);
    expect((await listAgents(db, { orgId })).map((row) => row.id)).toEqual([b.ids.agentId]);
    expect((await listTeams(db, { orgId })).map((row) => row.id)).toEqual([b.ids.teamId]);
    expect((await listRuns(db, { orgId })).map((row) => row.id)).toEqual([b.ids.runId]);
    expect((await listSchedules(db, { orgId })).map((row) => row.id)).toEqual([b.ids.scheduleId]);
  });
});
