import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from '../engine/testing/fixtures';
import { createRun } from './create-run';
import { getRun } from './get-run';
import { listRunEvents } from './list-run-events';
import { listRuns } from './list-runs';

const OTHER_ORG = '00000000-0000-4000-8000-0000000000ff';

describe('reading runs', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function start(
    target: { kind: 'agent'; agentId: string } | { kind: 'team'; teamId: string },
  ) {
    const { run } = await createRun(
      { orgId: harness.orgId, actor: { userId: harness.userId }, input: { target, input: 'Go' } },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    return run;
  }

  it('filters by agent, team and status and pages newest first', async () => {
    const solo = await createScriptedAgent(harness, 'Solo');
    const team = await createScriptedTeam(harness, {
      name: 'Duo',
      strategy: 'sequential',
      members: [solo.id],
    });
    const agentRuns = [
      await start({ kind: 'agent', agentId: solo.id }),
      await start({ kind: 'agent', agentId: solo.id }),
    ];
    const teamRun = await start({ kind: 'team', teamId: team.id });
    const db = { db: harness.database.db };

    const byAgent = await listRuns({ orgId: harness.orgId, agentId: solo.id }, db);
    expect(byAgent.items.map((run) => run.id)).toEqual([agentRuns[1]?.id, agentRuns[0]?.id]);
    const byTeam = await listRuns({ orgId: harness.orgId, teamId: team.id }, db);
    expect(byTeam.items.map((run) => run.id)).toEqual([teamRun.id]);
    expect((await listRuns({ orgId: harness.orgId, status: 'succeeded' }, db)).items).toEqual([]);

    const first = await listRuns({ orgId: harness.orgId, limit: 2 }, db);
    expect(first.items).toHaveLength(2);
    const second = await listRuns(
      { orgId: harness.orgId, limit: 2, cursor: first.nextCursor ?? undefined },
      db,
    );
    expect(second).toMatchObject({ items: [{ id: agentRuns[0]?.id }], nextCursor: null });
    await expect(listRuns({ orgId: harness.orgId, limit: 1_000 }, db)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it("returns a run with its steps and events, and nothing for another org's id", async () => {
    const agent = await createScriptedAgent(harness, 'Reader');
    const run = await start({ kind: 'agent', agentId: agent.id });
    const db = { db: harness.database.db };

    const found = await getRun({ orgId: harness.orgId, runId: run.id }, db);
    expect(found).toMatchObject({ id: run.id, status: 'queued', steps: [{ kind: 'agent_turn' }] });
    const events = await listRunEvents({ orgId: harness.orgId, runId: run.id }, db);
    expect(events?.map((event) => [event.seq, event.type])).toEqual([[1, 'run.queued']]);

    expect(await getRun({ orgId: OTHER_ORG, runId: run.id }, db)).toBeNull();
    expect(await listRunEvents({ orgId: OTHER_ORG, runId: run.id }, db)).toBeNull();
    await expect(
      createRun(
        {
          orgId: OTHER_ORG,
          actor: { userId: null },
          input: { target: { kind: 'agent', agentId: agent.id }, input: 'Steal' },
        },
        { ...harness.engine, settings: RUN_SETTINGS },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
