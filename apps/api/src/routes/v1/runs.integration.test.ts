import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listRunEvents } from '@switchyard/agents';
import type { TestTeam } from './orgs/org-test-fixtures';
import { startRuntimeTestApp, type RuntimeTestApp } from './runs-testing/runtime-test-app';
import { readSse } from './runs-testing/sse-client';

type Headers = { authorization: string };
type RunBody = { id: string; status: string; result: { output?: unknown } | null };

describe('agent, team and run routes', () => {
  let t: RuntimeTestApp;
  let team: TestTeam;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startRuntimeTestApp();
    await t.startWorker();
    team = await t.fixtures.team();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await t?.close();
  });

  const orgUrl = (path: string) => `/v1/orgs/${team.org.id}${path}`;

  async function createAgent(headers: Headers, name: string): Promise<{ id: string }> {
    const response = await t.app.inject({
      method: 'POST',
      url: orgUrl('/agents'),
      headers,
      payload: {
        name,
        instructions: 'You compute.',
        provider: 'scripted',
        model: 'scripted',
        tools: ['calculator'],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>();
  }

  async function startRun(headers: Headers, agentId: string): Promise<RunBody> {
    const response = await t.app.inject({
      method: 'POST',
      url: orgUrl('/runs'),
      headers,
      payload: { target: { kind: 'agent', agentId }, input: 'What is 6 * 7?' },
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<RunBody>();
  }

  async function waitForRun(runId: string, status: string) {
    return vi.waitFor(
      async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: orgUrl(`/runs/${runId}`),
          headers: team.owner.headers,
        });
        const run = response.json<RunBody & { steps: Array<{ kind: string }> }>();
        if (run.status !== status) throw new Error(`run is ${run.status}`);
        return run;
      },
      { timeout: 30_000, interval: 25 },
    );
  }

  it('answers 202 at once and a worker takes the run to succeeded', async () => {
    const agent = await createAgent(team.member.headers, 'Calculator');
    const response = await t.app.inject({
      method: 'POST',
      url: orgUrl('/runs'),
      headers: team.member.headers,
      payload: { target: { kind: 'agent', agentId: agent.id }, input: 'What is 6 * 7?' },
    });

    expect(response.statusCode).toBe(202);
    const created = response.json<RunBody & { createdByUserId: string }>();
    expect(created.status).toBe('queued');
    expect(created.createdByUserId).toBe(team.member.user.id);
    expect(response.headers.location).toBe(orgUrl(`/runs/${created.id}`));

    const finished = await waitForRun(created.id, 'succeeded');
    expect(String(finished.result?.output)).toContain('42');
    expect(finished.steps.map((step) => step.kind)).toEqual([
      'agent_turn',
      'model_call',
      'tool_call',
      'model_call',
    ]);

    const listed = await t.app.inject({
      method: 'GET',
      url: orgUrl(`/runs?status=succeeded&agentId=${agent.id}`),
      headers: team.viewer.headers,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ runs: RunBody[] }>().runs.map((run) => run.id)).toEqual([created.id]);
  });

  it('pages through runs with the cursor', async () => {
    const agent = await createAgent(team.owner.headers, 'Pager');
    const ids = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push((await startRun(team.owner.headers, agent.id)).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `agentId=${agent.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.app.inject({
        method: 'GET',
        url: orgUrl(`/runs?${query}`),
        headers: team.owner.headers,
      });
      const body = page.json<{ runs: RunBody[]; nextCursor: string | null }>();
      seen.push(...body.runs.map((run) => run.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps every edit of an agent as a version', async () => {
    const agent = await createAgent(team.owner.headers, 'Versioned');
    const edited = await t.app.inject({
      method: 'PATCH',
      url: orgUrl(`/agents/${agent.id}`),
      headers: team.owner.headers,
      payload: { instructions: 'Answer briefly.' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<{ currentVersion: number }>().currentVersion).toBe(2);

    const versions = await t.app.inject({
      method: 'GET',
      url: orgUrl(`/agents/${agent.id}/versions`),
      headers: team.viewer.headers,
    });
    expect(
      versions.json<{ versions: Array<{ version: number; instructions: string }> }>().versions,
    ).toMatchObject([
      { version: 2, instructions: 'Answer briefly.' },
      { version: 1, instructions: 'You compute.' },
    ]);
    const first = await t.app.inject({
      method: 'GET',
      url: orgUrl(`/agents/${agent.id}?version=1`),
      headers: team.viewer.headers,
    });
    expect(first.json<{ definition: { version: number } }>().definition.version).toBe(1);

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: orgUrl(`/agents/${agent.id}`),
      headers: team.owner.headers,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await t.app.inject({
      method: 'GET',
      url: orgUrl(`/agents/${agent.id}`),
      headers: team.owner.headers,
    });
    expect(gone.statusCode).toBe(404);
  });

  it('creates, edits, lists and deletes a team with pinned members', async () => {
    const agent = await createAgent(team.owner.headers, 'Team member');
    const created = await t.app.inject({
      method: 'POST',
      url: orgUrl('/teams'),
      headers: team.member.headers,
      payload: { name: 'Desk', strategy: 'sequential', members: [{ agentId: agent.id }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<{ id: string; members: unknown[] }>();
    expect(body.members).toEqual([{ agentId: agent.id, version: 1 }]);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: orgUrl(`/teams/${body.id}`),
      headers: team.member.headers,
      payload: { name: 'Desk 2' },
    });
    expect(renamed.json<{ name: string }>().name).toBe('Desk 2');

    const listed = await t.app.inject({
      method: 'GET',
      url: orgUrl('/teams'),
      headers: team.viewer.headers,
    });
    expect(listed.json<{ teams: Array<{ id: string }> }>().teams.map((item) => item.id)).toContain(
      body.id,
    );

    const run = await t.app.inject({
      method: 'POST',
      url: orgUrl('/runs'),
      headers: team.member.headers,
      payload: { target: { kind: 'team', teamId: body.id }, input: 'What is 2 + 2?' },
    });
    expect(run.statusCode, run.body).toBe(202);
    await waitForRun(run.json<RunBody>().id, 'succeeded');

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: orgUrl(`/teams/${body.id}`),
      headers: team.member.headers,
    });
    expect(deleted.statusCode).toBe(204);
  });

  it('lets admins cancel any run and members only their own, and refuses finished runs', async () => {
    const agent = await createAgent(team.owner.headers, 'Cancellable');
    const run = await startRun(team.target.headers, agent.id);
    await waitForRun(run.id, 'succeeded');
    const cancel = (headers: Headers) =>
      t.app.inject({
        method: 'POST',
        url: orgUrl(`/runs/${run.id}/cancel`),
        headers,
        payload: {},
      });

    expect((await cancel(team.viewer.headers)).statusCode).toBe(403);
    expect((await cancel(team.member.headers)).statusCode).toBe(403);
    expect((await cancel(team.target.headers)).statusCode).toBe(409);
    expect((await cancel(team.admin.headers)).statusCode).toBe(409);
  });

  it('refuses to retry a run that did not fail', async () => {
    const agent = await createAgent(team.owner.headers, 'Retry');
    const run = await startRun(team.owner.headers, agent.id);
    await waitForRun(run.id, 'succeeded');
    const retried = await t.app.inject({
      method: 'POST',
      url: orgUrl(`/runs/${run.id}/retry`),
      headers: team.owner.headers,
      payload: {},
    });
    expect(retried.statusCode).toBe(409);
  });

  it('answers 404 when approving a step that is not an approval of the run', async () => {
    const agent = await createAgent(team.owner.headers, 'Approvals');
    const run = await startRun(team.owner.headers, agent.id);
    const finished = await waitForRun(run.id, 'succeeded');
    const stepId = (finished as unknown as { steps: Array<{ id: string }> }).steps[0]?.id ?? '';
    for (const decision of ['approve', 'reject']) {
      const response = await t.app.inject({
        method: 'POST',
        url: orgUrl(`/runs/${run.id}/steps/${stepId}/${decision}`),
        headers: team.owner.headers,
        payload: {},
      });
      expect(response.statusCode).toBe(404);
    }
  });

  describe('the event stream', () => {
    async function storedSeqs(runId: string): Promise<number[]> {
      const events = await listRunEvents(
        { orgId: team.org.id, runId, limit: 1000 },
        { db: t.database.db },
      );
      return (events ?? []).map((event) => event.seq);
    }

    it('streams a finished run from the start and ends after its last event', async () => {
      const agent = await createAgent(team.owner.headers, 'Streamed');
      const run = await startRun(team.owner.headers, agent.id);
      await waitForRun(run.id, 'succeeded');

      const stream = await readSse(`${baseUrl}${orgUrl(`/runs/${run.id}/events`)}`, {
        headers: team.viewer.headers,
      });

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toContain('no-cache');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      expect(stream.ended).toBe(true);
      expect(stream.messages.map((message) => Number(message.id))).toEqual(
        await storedSeqs(run.id),
      );
      expect(stream.messages[0]?.event).toBe('run.queued');
      expect(stream.messages.at(-1)?.event).toBe('run.succeeded');
      const data = JSON.parse(stream.messages[0]?.data ?? '{}') as { runId: string; seq: number };
      expect(data).toMatchObject({ runId: run.id, seq: 1 });
    });

    it('resumes after ?after= with only the later events', async () => {
      const agent = await createAgent(team.owner.headers, 'Resumed');
      const run = await startRun(team.owner.headers, agent.id);
      await waitForRun(run.id, 'succeeded');

      const stream = await readSse(`${baseUrl}${orgUrl(`/runs/${run.id}/events?after=2`)}`, {
        headers: team.owner.headers,
      });

      expect(stream.messages.map((message) => Number(message.id))).toEqual(
        (await storedSeqs(run.id)).filter((seq) => seq > 2),
      );
    });

    it('delivers every event exactly once to a client that disconnects and reconnects', async () => {
      const agent = await createAgent(team.owner.headers, 'Reconnecting');
      for (let round = 0; round < 5; round += 1) {
        const run = await startRun(team.owner.headers, agent.id);
        const url = `${baseUrl}${orgUrl(`/runs/${run.id}/events`)}`;
        // Disconnect after a random number of events, while the worker is still running.
        const first = await readSse(url, {
          headers: team.owner.headers,
          stopAfter: 1 + Math.floor(Math.random() * 4),
        });
        const lastId = first.messages.at(-1)?.id ?? '0';
        const second = await readSse(url, {
          headers: { ...team.owner.headers, 'last-event-id': lastId },
        });

        expect(second.ended).toBe(true);
        const received = [...first.messages, ...second.messages].map((message) =>
          Number(message.id),
        );
        expect(received).toEqual(await storedSeqs(run.id));
        expect(new Set(received).size).toBe(received.length);
        expect(second.messages.at(-1)?.event).toBe('run.succeeded');
      }
    });

    it('refuses a Last-Event-ID that is not a sequence number', async () => {
      const agent = await createAgent(team.owner.headers, 'Bad resume');
      const run = await startRun(team.owner.headers, agent.id);
      const response = await t.app.inject({
        method: 'GET',
        url: orgUrl(`/runs/${run.id}/events`),
        headers: { ...team.owner.headers, 'last-event-id': 'abc' },
      });
      expect(response.statusCode).toBe(400);
    });
  });
});
