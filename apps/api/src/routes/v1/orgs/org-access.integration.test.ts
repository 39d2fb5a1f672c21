import { API_KEY_SCOPES, authenticateApiKey, createInvitation } from '@switchyard/auth';
import {
  getMembership,
  getOrganizationById,
  listApiKeys,
  listOrgMembers,
  listPendingInvitations,
} from '@switchyard/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgRouteFixtures,
  startOrgTestApp,
  type Headers,
  type OrgRouteFixtures,
  type OrgTestContext,
  type TestTeam,
} from './org-test-fixtures';

let context: OrgTestContext;
let fx: OrgRouteFixtures;

beforeAll(async () => {
  context = await startOrgTestApp();
  fx = createOrgRouteFixtures(context);
});
afterAll(async () => {
  await context?.close();
});

/** The ids a request names: an org and resources that are expected to be in it. */
type Ids = { orgId: string; userId: string; invitationId: string; keyId: string };
type Call = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object };

/** Every route of this area, keyed by its method and path. */
const ROUTES: Record<string, (ids: Ids) => Call> = {
  'GET /v1/orgs/:orgId': (ids) => ({ method: 'GET', url: `/v1/orgs/${ids.orgId}` }),
  'PATCH /v1/orgs/:orgId': (ids) => ({
    method: 'PATCH',
    url: `/v1/orgs/${ids.orgId}`,
    payload: { name: 'Changed' },
  }),
  'DELETE /v1/orgs/:orgId': (ids) => ({ method: 'DELETE', url: `/v1/orgs/${ids.orgId}` }),
  'GET /v1/orgs/:orgId/members': (ids) => ({
    method: 'GET',
    url: `/v1/orgs/${ids.orgId}/members`,
  }),
  'PATCH /v1/orgs/:orgId/members/:userId': (ids) => ({
    method: 'PATCH',
    url: `/v1/orgs/${ids.orgId}/members/${ids.userId}`,
    payload: { role: 'viewer' },
  }),
  'DELETE /v1/orgs/:orgId/members/:userId': (ids) => ({
    method: 'DELETE',
    url: `/v1/orgs/${ids.orgId}/members/${ids.userId}`,
  }),
  'POST /v1/orgs/:orgId/leave': (ids) => ({ method: 'POST', url: `/v1/orgs/${ids.orgId}/leave` }),
  'POST /v1/orgs/:orgId/transfer-ownership': (ids) => ({
    method: 'POST',
    url: `/v1/orgs/${ids.orgId}/transfer-ownership`,
    payload: { newOwnerUserId: ids.userId },
  }),
  'GET /v1/orgs/:orgId/invitations': (ids) => ({
    method: 'GET',
    url: `/v1/orgs/${ids.orgId}/invitations`,
  }),
  'POST /v1/orgs/:orgId/invitations': (ids) => ({
    method: 'POST',
    url: `/v1/orgs/${ids.orgId}/invitations`,
    payload: { email: `new-${ids.userId}@example.com`, role: 'member' },
  }),
  'DELETE /v1/orgs/:orgId/invitations/:invitationId': (ids) => ({
    method: 'DELETE',
    url: `/v1/orgs/${ids.orgId}/invitations/${ids.invitationId}`,
  }),
  'GET /v1/orgs/:orgId/api-keys': (ids) => ({
    method: 'GET',
    url: `/v1/orgs/${ids.orgId}/api-keys`,
  }),
  'POST /v1/orgs/:orgId/api-keys': (ids) => ({
    method: 'POST',
    url: `/v1/orgs/${ids.orgId}/api-keys`,
    payload: { name: 'new key', scopes: ['run:read'] },
  }),
  'DELETE /v1/orgs/:orgId/api-keys/:keyId': (ids) => ({
    method: 'DELETE',
    url: `/v1/orgs/${ids.orgId}/api-keys/${ids.keyId}`,
  }),
  'DELETE /v1/api-keys/:keyId': (ids) => ({ method: 'DELETE', url: `/v1/api-keys/${ids.keyId}` }),
  'GET /v1/orgs/:orgId/audit-log': (ids) => ({
    method: 'GET',
    url: `/v1/orgs/${ids.orgId}/audit-log`,
  }),
};

/**
 * Expected status per caller. `key` is an API key of the org holding every scope a key can hold:
 * it never reaches member, invitation or API key management.
 */
// prettier-ignore
const ROUTE_MATRIX: Array<[string, number, number, number, number, number]> = [
  //  route                                              owner admin member viewer key
  ['GET /v1/orgs/:orgId',                                200,  200,  200,   200,   200],
  ['PATCH /v1/orgs/:orgId',                              200,  200,  403,   403,   403],
  ['DELETE /v1/orgs/:orgId',                             204,  403,  403,   403,   403],
  ['GET /v1/orgs/:orgId/members',                        200,  200,  200,   200,   403],
  ['PATCH /v1/orgs/:orgId/members/:userId',              200,  200,  403,   403,   403],
  ['DELETE /v1/orgs/:orgId/members/:userId',             204,  204,  403,   403,   403],
  ['POST /v1/orgs/:orgId/leave',                         409,  204,  204,   204,   403],
  ['POST /v1/orgs/:orgId/transfer-ownership',            204,  403,  403,   403,   403],
  ['GET /v1/orgs/:orgId/invitations',                    200,  200,  403,   403,   403],
  ['POST /v1/orgs/:orgId/invitations',                   201,  201,  403,   403,   403],
  ['DELETE /v1/orgs/:orgId/invitations/:invitationId',   204,  204,  403,   403,   403],
  ['GET /v1/orgs/:orgId/api-keys',                       200,  200,  403,   403,   403],
  ['POST /v1/orgs/:orgId/api-keys',                      201,  201,  403,   403,   403],
  ['DELETE /v1/orgs/:orgId/api-keys/:keyId',             200,  200,  403,   403,   403],
  ['DELETE /v1/api-keys/:keyId',                         200,  200,  403,   403,   403],
  ['GET /v1/orgs/:orgId/audit-log',                      200,  200,  403,   403,   200],
];

const CALLERS = ['owner', 'admin', 'member', 'viewer', 'key'] as const;
type Caller = (typeof CALLERS)[number];

/** A team with one pending invitation and one API key, and the ids naming them. */
async function teamWithResources(): Promise<{ t: TestTeam; ids: Ids; key: Headers }> {
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
  return {
    t,
    key: apiKey.headers,
    ids: {
      orgId: t.org.id,
      userId: t.target.user.id,
      invitationId: invitation.id,
      keyId: apiKey.id,
    },
  };
}

function headersOf(setup: { t: TestTeam; key: Headers }, caller: Caller): Headers {
  return caller === 'key' ? setup.key : setup.t[caller].headers;
}

describe('the route permission matrix', () => {
  it('covers every route of this area, and each is registered', () => {
    expect(ROUTE_MATRIX.map((row) => row[0]).sort()).toEqual(Object.keys(ROUTES).sort());
    for (const route of Object.keys(ROUTES)) {
      const [method = '', url = ''] = route.split(' ');
      expect(context.app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });

  it('documents every route in the OpenAPI document', async () => {
    const response = await context.app.inject({ method: 'GET', url: '/openapi.json' });

    expect(response.statusCode, response.body).toBe(200);
    const paths = response.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    for (const route of Object.keys(ROUTES)) {
      const [method = '', url = ''] = route.split(' ');
      const openApiPath = url.replace(/:(\w+)/g, '{$1}');
      expect(paths[openApiPath]?.[method.toLowerCase()], route).toBeDefined();
    }
    expect(JSON.stringify(paths['/v1/orgs']?.post)).toContain('Acme Robotics');
    expect(JSON.stringify(paths['/v1/orgs/{orgId}/api-keys']?.post)).toContain('CI deploys');
  });

  const cases = ROUTE_MATRIX.flatMap(([route, ...statuses]) =>
    CALLERS.map((caller, index) => ({ route, caller, status: statuses[index] })),
  );

  it.each(cases)('$route as $caller answers $status', async ({ route, caller, status }) => {
    const setup = await teamWithResources();
    const call = ROUTES[route]?.(setup.ids);
    if (!call) throw new Error(`no route ${route}`);

    const response = await context.app.inject({ ...call, headers: headersOf(setup, caller) });

    expect(response.statusCode, response.body).toBe(status);
  });
});

describe('tenant isolation', () => {
  let a: Awaited<ReturnType<typeof teamWithResources>>;
  let b: Awaited<ReturnType<typeof teamWithResources>>;

  beforeAll(async () => {
    a = await teamWithResources();
    b = await teamWithResources();
  });

  /** Every route with org B's ids, and org A's path naming B's resources. */
  const targets = Object.keys(ROUTES).flatMap((route) => [
    { route, ids: 'B' as const },
    ...(/:orgId\/.*:(userId|invitationId|keyId)/.test(route)
      ? [{ route, ids: 'A path, B ids' as const }]
      : []),
  ]);

  /** The ids a variant names; `missing` swaps every id of another org for one that does not exist. */
  function namedIds(ids: 'B' | 'A path, B ids', missing = false): Ids {
    const orgId = ids === 'B' ? b.ids.orgId : a.ids.orgId;
    if (!missing) return { ...b.ids, orgId };
    return {
      orgId: ids === 'B' ? crypto.randomUUID() : orgId,
      userId: crypto.randomUUID(),
      invitationId: crypto.randomUUID(),
      keyId: crypto.randomUUID(),
    };
  }

  async function send(route: string, ids: Ids, headers: Headers) {
    const call = ROUTES[route]?.(ids);
    if (!call) throw new Error(`no route ${route}`);
    return context.app.inject({ ...call, headers });
  }

  it.each(targets)("$route with $ids answers 404 to org A's owner", async ({ route, ids }) => {
    const response = await send(route, namedIds(ids), a.t.owner.headers);

    expect(response.statusCode, response.body).toBe(404);
  });

  it.each(targets)(
    "$route with $ids answers org A's key exactly as for ids that do not exist",
    async ({ route, ids }) => {
      const response = await send(route, namedIds(ids), a.key);
      const missing = await send(route, namedIds(ids, true), a.key);

      // 404, or 403 on a route a key may never call, whatever ids it names.
      expect([403, 404]).toContain(response.statusCode);
      expect(response.statusCode, response.body).toBe(missing.statusCode);
    },
  );

  it('left every resource of org B as it was', async () => {
    const db = context.database.db;
    expect((await getOrganizationById(db, { orgId: b.ids.orgId }))?.name).toBe('Acme');
    const members = await listOrgMembers(db, { orgId: b.ids.orgId });
    expect(members.map((m) => m.role)).toEqual(['owner', 'admin', 'member', 'viewer', 'member']);
    const pending = await listPendingInvitations(db, { orgId: b.ids.orgId, now: new Date() });
    expect(pending.map((invitation) => invitation.id)).toEqual([b.ids.invitationId]);
    expect(await listApiKeys(db, { orgId: b.ids.orgId })).toHaveLength(1);
    expect(
      await authenticateApiKey(b.key.authorization.slice('Bearer '.length), { db }),
    ).toMatchObject({ orgId: b.ids.orgId });
    expect(await listApiKeys(db, { orgId: a.ids.orgId })).toHaveLength(1);
    expect(await getMembership(db, { orgId: a.ids.orgId, userId: b.ids.userId })).toBeNull();
  });
});

describe('mass assignment', () => {
  it('joins with the invited role whatever role, org or user the accept body names', async () => {
    const t = await fx.team();
    const other = await fx.team();
    const email = `invitee-${fx.unique()}@example.com`;
    await context.app.inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/invitations`,
      headers: t.admin.headers,
      payload: { email, role: 'viewer' },
    });
    const invitee = await fx.user({ email });
    const token = await fx.invitationTokenFor(email);

    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/invitations/accept',
      headers: await fx.signIn(invitee),
      payload: { token, role: 'owner', orgId: other.org.id, userId: other.owner.user.id },
    });

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ orgId: t.org.id, role: 'viewer' });
    const db = context.database.db;
    expect((await getMembership(db, { orgId: t.org.id, userId: invitee.id }))?.role).toBe('viewer');
    expect(await getMembership(db, { orgId: other.org.id, userId: invitee.id })).toBeNull();
    expect(
      (await getMembership(db, { orgId: other.org.id, userId: other.owner.user.id }))?.role,
    ).toBe('owner');
  });

  it("creates an API key in the path's org whatever orgId the body names", async () => {
    const t = await fx.team();
    const other = await fx.team();

    const response = await context.app.inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/api-keys`,
      headers: t.admin.headers,
      payload: { name: 'sneaky', scopes: ['run:read'], orgId: other.org.id },
    });

    expect(response.statusCode, response.body).toBe(201);
    const { key, apiKey } = response.json<{ key: string; apiKey: { orgId: string } }>();
    expect(apiKey.orgId).toBe(t.org.id);
    expect(await authenticateApiKey(key, { db: context.database.db })).toMatchObject({
      orgId: t.org.id,
    });
    expect(await listApiKeys(context.database.db, { orgId: other.org.id })).toEqual([]);
  });

  it('makes the creator the owner of a new org whatever owner or flags the body names', async () => {
    const creator = await fx.user();
    const someone = await fx.user();

    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/orgs',
      headers: await fx.signIn(creator),
      payload: {
        name: 'Mine',
        ownerId: someone.id,
        userId: someone.id,
        id: '00000000-0000-4000-8000-000000000000',
        slug: 'chosen',
        personal: true,
        requireTwoFactor: true,
      },
    });

    expect(response.statusCode, response.body).toBe(201);
    const org = response.json<{ id: string; slug: string; personal: boolean }>();
    expect(org).toMatchObject({ personal: false, requireTwoFactor: false });
    expect(org.id).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(org.slug).not.toBe('chosen');
    const db = context.database.db;
    expect((await getMembership(db, { orgId: org.id, userId: creator.id }))?.role).toBe('owner');
    expect(await getMembership(db, { orgId: org.id, userId: someone.id })).toBeNull();
  });

  it('updates only the name and requireTwoFactor of an org', async () => {
    const t = await fx.team();

    const response = await context.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${t.org.id}`,
      headers: t.admin.headers,
      payload: { name: 'Renamed', slug: 'taken-over', personal: true, ownerId: t.admin.user.id },
    });

    expect(response.statusCode, response.body).toBe(200);
    const org = await getOrganizationById(context.database.db, { orgId: t.org.id });
    expect(org).toMatchObject({ name: 'Renamed', slug: t.org.slug, personal: false });
    expect(
      (await getMembership(context.database.db, { orgId: t.org.id, userId: t.admin.user.id }))
        ?.role,
    ).toBe('admin');
  });

  it("changes only the path's member, whatever user or org the body names", async () => {
    const t = await fx.team();
    const other = await fx.team();

    const response = await context.app.inject({
      method: 'PATCH',
      url: `/v1/orgs/${t.org.id}/members/${t.target.user.id}`,
      headers: t.admin.headers,
      payload: { role: 'viewer', userId: t.member.user.id, orgId: other.org.id },
    });

    expect(response.statusCode, response.body).toBe(200);
    const db = context.database.db;
    expect((await getMembership(db, { orgId: t.org.id, userId: t.target.user.id }))?.role).toBe(
      'viewer',
    );
    expect((await getMembership(db, { orgId: t.org.id, userId: t.member.user.id }))?.role).toBe(
      'member',
    );
    expect(
      (await getMembership(db, { orgId: other.org.id, userId: other.target.user.id }))?.role,
    ).toBe('member');
  });

  it('refuses an invitation for the owner role, and invites into the path org only', async () => {
    const t = await fx.team();
    const other = await fx.team();

    const owner = await context.app.inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/invitations`,
      headers: t.owner.headers,
      payload: { email: 'boss@example.com', role: 'owner' },
    });
    const elsewhere = await context.app.inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/invitations`,
      headers: t.owner.headers,
      payload: { email: 'x@example.com', role: 'member', orgId: other.org.id },
    });

    expect(owner.statusCode).toBe(400);
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    expect(elsewhere.json()).toMatchObject({ orgId: t.org.id });
    const db = context.database.db;
    expect(await listPendingInvitations(db, { orgId: other.org.id, now: new Date() })).toEqual([]);
  });
});
