import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_SCOPES, createInvitation, createSession } from '@switchyard/auth';
import {
  getOrganizationById,
  getSessionById,
  listApiKeys,
  listOrgMembers,
  listPendingInvitations,
} from '@switchyard/database';
import {
  createOrgRouteFixtures,
  startOrgTestApp,
  type Headers,
  type OrgRouteFixtures,
  type OrgTestContext,
  type TestTeam,
} from './orgs/org-test-fixtures';

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
};
type Call = Pick<InjectOptions, 'method' | 'url' | 'payload'>;
type Route = {
  call: (ids: Ids) => Call;
  /**
   * Whether the route names a resource inside the org (path or body), so that org A's path
   * with org B's resource is tried too.
   */
  namesResourceInOrg: boolean;
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
  // Sessions belong to a user, not an org: org B's member's session is another user's.
  'DELETE /v1/me/sessions/:sessionId': {
    call: (ids) => ({ method: 'DELETE', url: `/v1/me/sessions/${ids.sessionId}` }),
    namesResourceInOrg: false,
  },
};

let context: OrgTestContext;
let fx: OrgRouteFixtures;

beforeAll(async () => {
  context = await startOrgTestApp();
  fx = createOrgRouteFixtures(context);
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
    expect(routesTakingAnId()).toEqual(Object.keys(ROUTES).sort());
  });
});

type Tenant = { t: TestTeam; ids: Ids; key: Headers; sessionHeaders: Headers };

/** An org with members, a pending invitation, an API key, and a session of its target member. */
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

  it.each(cases)("$name with $variant answers 404 to org A's owner", async ({ name, variant }) => {
    const response = await send(name, idsFor(variant), a.t.owner.headers);

    expect(response.statusCode, response.body).toBe(404);
  });

  const callers = ['admin', 'member', 'viewer', 'key'] as const;
  const callerCases = cases.flatMap((entry) => callers.map((caller) => ({ ...entry, caller })));

  it.each(callerCases)(
    '$name with $variant answers org A’s $caller exactly as for ids that do not exist',
    async ({ name, variant, caller }) => {
      const headers = caller === 'key' ? a.key : a.t[caller].headers;

      const response = await send(name, idsFor(variant), headers);
      const missing = await send(name, idsFor(variant, true), headers);

      expect([403, 404]).toContain(response.statusCode);
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
  });
});
