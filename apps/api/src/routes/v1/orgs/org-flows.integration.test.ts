import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { getApiKey, getMembership, schema } from '@switchyard/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgRouteFixtures,
  startOrgTestApp,
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

function inject(options: InjectOptions) {
  return context.app.inject(options);
}

async function roleOf(orgId: string, userId: string) {
  return (await getMembership(context.database.db, { orgId, userId }))?.role ?? null;
}

async function invite(t: TestTeam, role = 'member') {
  const email = `invitee-${fx.unique()}@example.com`;
  const response = await inject({
    method: 'POST',
    url: `/v1/orgs/${t.org.id}/invitations`,
    headers: t.admin.headers,
    payload: { email, role },
  });
  expect(response.statusCode, response.body).toBe(201);
  const token = await fx.invitationTokenFor(email);
  return { email, token, id: response.json<{ id: string }>().id, body: response.body };
}

function accept(token: string, headers: { authorization: string }) {
  return inject({ method: 'POST', url: '/v1/invitations/accept', headers, payload: { token } });
}

describe('invitations over HTTP', () => {
  it('invites by e-mail without returning the token, and the invitee joins once', async () => {
    const t = await fx.team();
    const { email, token, body } = await invite(t, 'admin');
    const invitee = await fx.user({ email });
    const headers = await fx.signIn(invitee);

    expect(body).not.toContain(token);
    const first = await accept(token, headers);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ orgId: t.org.id, orgName: 'Acme', role: 'admin' });
    expect(await roleOf(t.org.id, invitee.id)).toBe('admin');

    await inject({ method: 'POST', url: `/v1/orgs/${t.org.id}/leave`, headers });
    const again = await accept(token, headers);
    expect(again.statusCode).toBe(404);
    expect(await roleOf(t.org.id, invitee.id)).toBeNull();
  });

  it('refuses an expired invitation', async () => {
    const t = await fx.team();
    const { email, token, id } = await invite(t);
    await context.database.db
      .update(schema.invitations)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(schema.invitations.id, id));
    const invitee = await fx.user({ email });

    const response = await accept(token, await fx.signIn(invitee));

    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ reason: 'expired' });
    expect(await roleOf(t.org.id, invitee.id)).toBeNull();
  });

  it('is bound to the invited, verified address', async () => {
    const t = await fx.team();
    const { email, token } = await invite(t);
    const stranger = await fx.user();
    const unverified = await fx.user({ email, verified: false });

    const wrong = await accept(token, await fx.signIn(stranger));
    const notVerified = await accept(token, await fx.signIn(unverified));

    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ reason: 'email_mismatch' });
    expect(notVerified.statusCode).toBe(403);
    expect(notVerified.json()).toMatchObject({ reason: 'email_not_verified' });
    expect(await roleOf(t.org.id, stranger.id)).toBeNull();
    expect(await roleOf(t.org.id, unverified.id)).toBeNull();
  });

  it('needs a signed-in user to accept, and refuses API keys', async () => {
    const t = await fx.team();
    const { token } = await invite(t);
    const key = await fx.apiKey(t, ['run:read']);

    expect(
      (await inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token } }))
        .statusCode,
    ).toBe(401);
    expect((await accept(token, key.headers)).statusCode).toBe(403);
  });

  it('stops a revoked invitation from working and lists only pending ones', async () => {
    const t = await fx.team();
    const kept = await invite(t, 'viewer');
    const revoked = await invite(t);
    const invitee = await fx.user({ email: revoked.email });

    const response = await inject({
      method: 'DELETE',
      url: `/v1/orgs/${t.org.id}/invitations/${revoked.id}`,
      headers: t.owner.headers,
    });
    const listed = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/invitations`,
      headers: t.admin.headers,
    });

    expect(response.statusCode).toBe(204);
    expect((await accept(revoked.token, await fx.signIn(invitee))).statusCode).toBe(404);
    expect(
      listed.json<{ invitations: Array<{ id: string }> }>().invitations.map((i) => i.id),
    ).toEqual([kept.id]);
    expect(listed.body).not.toContain(kept.token);
  });
});

describe('roles and ownership over HTTP', () => {
  it('never lets an admin make an owner, and lets the owner transfer ownership', async () => {
    const t = await fx.team();

    const promote = await inject({
      method: 'PATCH',
      url: `/v1/orgs/${t.org.id}/members/${t.admin.user.id}`,
      headers: t.admin.headers,
      payload: { role: 'owner' },
    });
    expect(promote.statusCode).toBe(403);
    expect(await roleOf(t.org.id, t.admin.user.id)).toBe('admin');

    const transfer = await inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/transfer-ownership`,
      headers: t.owner.headers,
      payload: { newOwnerUserId: t.member.user.id },
    });
    expect(transfer.statusCode, transfer.body).toBe(204);
    expect(await roleOf(t.org.id, t.member.user.id)).toBe('owner');
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('admin');

    // The former owner is an admin now: ownership is no longer theirs to give.
    const again = await inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/transfer-ownership`,
      headers: t.owner.headers,
      payload: { newOwnerUserId: t.owner.user.id },
    });
    expect(again.statusCode).toBe(403);
  });

  it('refuses to remove or demote the last owner', async () => {
    const t = await fx.team();

    const leave = await inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/leave`,
      headers: t.owner.headers,
    });
    const demote = await inject({
      method: 'PATCH',
      url: `/v1/orgs/${t.org.id}/members/${t.owner.user.id}`,
      headers: t.owner.headers,
      payload: { role: 'admin' },
    });
    const remove = await inject({
      method: 'DELETE',
      url: `/v1/orgs/${t.org.id}/members/${t.owner.user.id}`,
      headers: t.admin.headers,
    });

    expect([leave.statusCode, demote.statusCode, remove.statusCode]).toEqual([409, 409, 403]);
    expect(await roleOf(t.org.id, t.owner.user.id)).toBe('owner');
  });

  it('lists members and my orgs', async () => {
    const t = await fx.team();

    const members = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/members`,
      headers: t.viewer.headers,
    });
    const mine = await inject({ method: 'GET', url: '/v1/orgs', headers: t.viewer.headers });

    expect(members.json<{ members: Array<{ role: string }> }>().members.map((m) => m.role)).toEqual(
      ['owner', 'admin', 'member', 'viewer', 'member'],
    );
    expect(mine.json()).toMatchObject({
      orgs: [{ id: t.org.id, role: 'viewer', personal: false }],
    });
  });
});

describe('API keys over HTTP', () => {
  async function create(t: TestTeam, scopes: string[], headers = t.admin.headers) {
    return inject({
      method: 'POST',
      url: `/v1/orgs/${t.org.id}/api-keys`,
      headers,
      payload: { name: 'deploy bot', scopes },
    });
  }

  it('shows the key once, then only its prefix', async () => {
    const t = await fx.team();

    const response = await create(t, ['run:read', 'agent:read']);

    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { key, apiKey } = response.json<{
      key: string;
      apiKey: { id: string; prefix: string };
    }>();
    expect(key.startsWith(`sy_${apiKey.prefix}_`)).toBe(true);
    const listed = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/api-keys`,
      headers: t.admin.headers,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(key);
    expect(listed.body).not.toContain(key.slice(12));
    expect(listed.json()).toMatchObject({
      apiKeys: [{ id: apiKey.id, prefix: apiKey.prefix, scopes: ['run:read', 'agent:read'] }],
    });
  });

  it('refuses scopes a key can never hold', async () => {
    const t = await fx.team();

    for (const scope of ['member:read', 'api_key:create', 'org:transfer', 'org:delete']) {
      const response = await create(t, [scope], t.owner.headers);
      expect(response.statusCode, scope).toBe(400);
    }
    const billing = await create(t, ['billing:manage']);
    expect(billing.statusCode).toBe(403);
  });

  it('enforces scopes: a run:read key cannot read members, the org or the audit log', async () => {
    const t = await fx.team();
    const runReader = await fx.apiKey(t, ['run:read']);
    const orgReader = await fx.apiKey(t, ['org:read', 'audit_log:read']);
    const call = (url: string, headers: { authorization: string }) =>
      inject({ method: 'GET', url, headers });

    expect((await call(`/v1/orgs/${t.org.id}/members`, runReader.headers)).statusCode).toBe(403);
    expect((await call(`/v1/orgs/${t.org.id}`, runReader.headers)).statusCode).toBe(403);
    expect((await call(`/v1/orgs/${t.org.id}/audit-log`, runReader.headers)).statusCode).toBe(403);
    expect((await call(`/v1/orgs/${t.org.id}`, orgReader.headers)).statusCode).toBe(200);
    expect((await call(`/v1/orgs/${t.org.id}/audit-log`, orgReader.headers)).statusCode).toBe(200);
    expect((await call(`/v1/orgs/${t.org.id}/members`, orgReader.headers)).statusCode).toBe(403);
    expect((await call(`/v1/orgs/${t.org.id}/api-keys`, orgReader.headers)).statusCode).toBe(403);
    expect((await call('/v1/orgs', orgReader.headers)).statusCode).toBe(403);
  });

  it('records lastUsedAt and refuses a key from the request after it is revoked', async () => {
    const t = await fx.team();
    const key = await fx.apiKey(t, ['org:read']);
    const read = () => inject({ method: 'GET', url: `/v1/orgs/${t.org.id}`, headers: key.headers });
    const db = context.database.db;
    expect((await getApiKey(db, { orgId: t.org.id, keyId: key.id }))?.lastUsedAt).toBeNull();

    expect((await read()).statusCode).toBe(200);
    expect((await getApiKey(db, { orgId: t.org.id, keyId: key.id }))?.lastUsedAt).toBeInstanceOf(
      Date,
    );
    const revoke = await inject({
      method: 'DELETE',
      url: `/v1/api-keys/${key.id}`,
      headers: t.admin.headers,
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(revoke.json()).toMatchObject({ id: key.id, revokedAt: expect.any(String) });

    expect((await read()).statusCode).toBe(401);
  });

  it('revokes through the org path too', async () => {
    const t = await fx.team();
    const key = await fx.apiKey(t, ['org:read']);

    const revoke = await inject({
      method: 'DELETE',
      url: `/v1/orgs/${t.org.id}/api-keys/${key.id}`,
      headers: t.owner.headers,
    });

    expect(revoke.statusCode).toBe(200);
    const read = await inject({ method: 'GET', url: `/v1/orgs/${t.org.id}`, headers: key.headers });
    expect(read.statusCode).toBe(401);
  });
});

describe('audit log over HTTP', () => {
  it('is readable by admins only, pages with a cursor and holds no key or token', async () => {
    const t = await fx.team();
    const secrets: string[] = [];
    for (const scopes of [['run:read'], ['org:read', 'agent:read']]) {
      const response = await inject({
        method: 'POST',
        url: `/v1/orgs/${t.org.id}/api-keys`,
        headers: t.admin.headers,
        payload: { name: 'k', scopes },
      });
      const key = response.json<{ key: string }>().key;
      secrets.push(key, key.slice(12));
    }
    const invitation = await invite(t, 'viewer');
    secrets.push(invitation.token);
    const invitee = await fx.user({ email: invitation.email });
    const inviteeHeaders = await fx.signIn(invitee);
    await accept(invitation.token, inviteeHeaders);
    secrets.push(t.admin.headers.authorization.slice(7), inviteeHeaders.authorization.slice(7));

    const member = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/audit-log`,
      headers: t.member.headers,
    });
    const page1 = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/audit-log?limit=2`,
      headers: t.admin.headers,
    });
    const { events, nextCursor } = page1.json<{
      events: Array<{ action: string }>;
      nextCursor: string;
    }>();
    const page2 = await inject({
      method: 'GET',
      url: `/v1/orgs/${t.org.id}/audit-log?limit=2&cursor=${encodeURIComponent(nextCursor)}`,
      headers: t.admin.headers,
    });

    expect(member.statusCode).toBe(403);
    expect(page1.statusCode).toBe(200);
    expect(events.map((event) => event.action)).toEqual(['member.joined', 'member.invited']);
    expect(page2.json<{ events: Array<{ action: string }> }>().events.map((e) => e.action)).toEqual(
      ['api_key.created', 'api_key.created'],
    );
    const rows = await context.database.db.select().from(schema.auditLog);
    const everything = JSON.stringify(rows);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('requireTwoFactor over HTTP', () => {
  it('is turned on only from a 2FA session, then keeps members without 2FA out', async () => {
    const t = await fx.team();
    const url = `/v1/orgs/${t.org.id}`;
    const payload = { requireTwoFactor: true };

    const without = await inject({ method: 'PATCH', url, headers: t.admin.headers, payload });
    expect(without.statusCode).toBe(422);

    const adminWith2fa = await fx.signIn(t.admin.user, { twoFactor: true });
    const enabled = await inject({ method: 'PATCH', url, headers: adminWith2fa, payload });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json()).toMatchObject({ requireTwoFactor: true });

    const memberWithout = await inject({ method: 'GET', url, headers: t.member.headers });
    expect(memberWithout.statusCode).toBe(403);
    expect(memberWithout.json()).toMatchObject({ reason: 'two_factor_required' });
    const memberWith = await fx.signIn(t.member.user, { twoFactor: true });
    expect((await inject({ method: 'GET', url, headers: memberWith })).statusCode).toBe(200);

    const key = await fx.apiKey(t, ['org:read']);
    const revokeWithout = await inject({
      method: 'DELETE',
      url: `/v1/api-keys/${key.id}`,
      headers: t.admin.headers,
    });
    expect(revokeWithout.statusCode).toBe(403);
    expect(revokeWithout.json()).toMatchObject({ reason: 'two_factor_required' });
  });
});
