import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestTeam } from './orgs/org-test-fixtures';
import { startRuntimeTestApp, type RuntimeTestApp } from './runs-testing/runtime-test-app';

type Headers = { authorization: string };

describe('access to agents, teams and runs', () => {
  let t: RuntimeTestApp;
  let home: TestTeam;
  let other: TestTeam;
  let agentId: string;
  let teamId: string;
  let runId: string;
  let stepId: string;

  const inject = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    t = await startRuntimeTestApp();
    await t.startWorker();
    home = await t.fixtures.team();
    other = await t.fixtures.team();
    const base = `/v1/orgs/${home.org.id}`;
    const agent = await inject('POST', `${base}/agents`, home.owner.headers, {
      name: 'Home agent',
      instructions: 'You compute.',
      provider: 'scripted',
      model: 'scripted',
      tools: ['calculator'],
    });
    agentId = agent.json<{ id: string }>().id;
    const team = await inject('POST', `${base}/teams`, home.owner.headers, {
      name: 'Home team',
      strategy: 'sequential',
      members: [{ agentId }],
    });
    teamId = team.json<{ id: string }>().id;
    const run = await inject('POST', `${base}/runs`, home.owner.headers, {
      target: { kind: 'agent', agentId },
      input: 'What is 6 * 7?',
    });
    runId = run.json<{ id: string }>().id;
    stepId = await vi.waitFor(
      async () => {
        const current = await inject('GET', `${base}/runs/${runId}`, home.owner.headers);
        const body = current.json<{ status: string; steps: Array<{ id: string }> }>();
        if (body.status !== 'succeeded') throw new Error(`run is ${body.status}`);
        return body.steps[0]?.id ?? '';
      },
      { timeout: 30_000, interval: 25 },
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every route, addressed to `orgId` with the home org's resource ids. */
  const everyRoute = (orgId: string) => {
    const base = `/v1/orgs/${orgId}`;
    return [
      ['GET', `${base}/agents/${agentId}`, undefined],
      ['GET', `${base}/agents/${agentId}/versions`, undefined],
      ['PATCH', `${base}/agents/${agentId}`, { name: 'Stolen' }],
      ['DELETE', `${base}/agents/${agentId}`, undefined],
      ['GET', `${base}/teams/${teamId}`, undefined],
      ['PATCH', `${base}/teams/${teamId}`, { name: 'Stolen' }],
      ['DELETE', `${base}/teams/${teamId}`, undefined],
      ['POST', `${base}/runs`, { target: { kind: 'agent', agentId }, input: 'Hi' }],
      ['POST', `${base}/runs`, { target: { kind: 'team', teamId }, input: 'Hi' }],
      ['GET', `${base}/runs/${runId}`, undefined],
      ['POST', `${base}/runs/${runId}/cancel`, {}],
      ['POST', `${base}/runs/${runId}/retry`, {}],
      ['POST', `${base}/runs/${runId}/steps/${stepId}/approve`, {}],
      ['POST', `${base}/runs/${runId}/steps/${stepId}/reject`, {}],
      ['GET', `${base}/runs/${runId}/events`, undefined],
    ] as const;
  };

  it("answers 404 for another org's ids on every route, through the caller's own org", async () => {
    for (const [method, url, payload] of everyRoute(other.org.id)) {
      const response = await inject(method, url, other.owner.headers, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('answers 404 on every route of an org the caller is not a member of', async () => {
    for (const [method, url, payload] of everyRoute(home.org.id)) {
      const response = await inject(method, url, other.owner.headers, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('lets a viewer read but not create runs, agents or teams', async () => {
    const base = `/v1/orgs/${home.org.id}`;
    const runs = await inject('POST', `${base}/runs`, home.viewer.headers, {
      target: { kind: 'agent', agentId },
      input: 'Hi',
    });
    expect(runs.statusCode).toBe(403);
    const agents = await inject('POST', `${base}/agents`, home.viewer.headers, {
      name: 'Viewer agent',
      instructions: 'x',
      provider: 'scripted',
      model: 'scripted',
    });
    expect(agents.statusCode).toBe(403);
    const teams = await inject('POST', `${base}/teams`, home.viewer.headers, {
      name: 'Viewer team',
      strategy: 'sequential',
      members: [{ agentId }],
    });
    expect(teams.statusCode).toBe(403);
    const retry = await inject('POST', `${base}/runs/${runId}/retry`, home.viewer.headers, {});
    expect(retry.statusCode).toBe(403);
    const approve = await inject(
      'POST',
      `${base}/runs/${runId}/steps/${stepId}/approve`,
      home.viewer.headers,
      {},
    );
    expect(approve.statusCode).toBe(403);
    expect((await inject('GET', `${base}/runs`, home.viewer.headers)).statusCode).toBe(200);
    expect((await inject('GET', `${base}/runs/${runId}`, home.viewer.headers)).statusCode).toBe(
      200,
    );
  });

  it('ignores nothing silently: orgId, status and createdByUserId in a body change nothing', async () => {
    const base = `/v1/orgs/${home.org.id}`;
    const before = await inject('GET', `${base}/runs?limit=100`, home.owner.headers);
    const run = await inject('POST', `${base}/runs`, home.member.headers, {
      target: { kind: 'agent', agentId },
      input: 'Hi',
      orgId: other.org.id,
      status: 'succeeded',
      createdByUserId: other.owner.user.id,
    });
    expect(run.statusCode).toBe(400);
    const agent = await inject('POST', `${base}/agents`, home.member.headers, {
      name: 'Mass assigned',
      instructions: 'x',
      provider: 'scripted',
      model: 'scripted',
      orgId: other.org.id,
      createdBy: other.owner.user.id,
    });
    expect(agent.statusCode).toBe(400);
    const edit = await inject('PATCH', `${base}/agents/${agentId}`, home.member.headers, {
      orgId: other.org.id,
      currentVersion: 99,
    });
    expect(edit.statusCode).toBe(400);
    const team = await inject('POST', `${base}/teams`, home.member.headers, {
      name: 'Mass team',
      strategy: 'sequential',
      members: [{ agentId }],
      orgId: other.org.id,
    });
    expect(team.statusCode).toBe(400);

    const after = await inject('GET', `${base}/runs?limit=100`, home.owner.headers);
    expect(after.json<{ runs: unknown[] }>().runs).toHaveLength(
      before.json<{ runs: unknown[] }>().runs.length,
    );
    const otherRuns = await inject('GET', `/v1/orgs/${other.org.id}/runs`, other.owner.headers);
    expect(otherRuns.json<{ runs: unknown[] }>().runs).toEqual([]);
    const otherAgents = await inject('GET', `/v1/orgs/${other.org.id}/agents`, other.owner.headers);
    expect(otherAgents.json<{ agents: unknown[] }>().agents).toEqual([]);
    const current = await inject('GET', `${base}/agents/${agentId}`, home.owner.headers);
    expect(current.json<{ currentVersion: number }>().currentVersion).toBe(1);
  });

  it('lets an API key with run scopes start and read runs, and refuses one without', async () => {
    const base = `/v1/orgs/${home.org.id}`;
    const reader = await t.fixtures.apiKey(home, ['run:read']);
    const runner = await t.fixtures.apiKey(home, ['run:read', 'run:create']);
    const payload = { target: { kind: 'agent', agentId }, input: 'What is 1 + 1?' };
    expect((await inject('POST', `${base}/runs`, reader.headers, payload)).statusCode).toBe(403);
    const created = await inject('POST', `${base}/runs`, runner.headers, payload);
    expect(created.statusCode).toBe(202);
    expect(created.json<{ createdByUserId: string | null }>().createdByUserId).toBeNull();
    const read = await inject(
      'GET',
      `${base}/runs/${created.json<{ id: string }>().id}`,
      reader.headers,
    );
    expect(read.statusCode).toBe(200);
  });
});
