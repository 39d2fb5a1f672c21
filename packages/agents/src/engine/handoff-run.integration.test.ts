import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRunEvents, listRunSteps } from '@switchyard/database';
import { createRun } from '../runs/create-run';
import { createEngineHarness, type EngineHarness } from './testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from './testing/fixtures';

describe('handoff runs', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('passes control to the agent named in the handoff and ends with its answer', async () => {
    const triage = await createScriptedAgent(harness, 'Triage');
    const billing = await createScriptedAgent(harness, 'Billing');
    const team = await createScriptedTeam(harness, {
      name: 'Support desk',
      strategy: 'handoff',
      members: [triage.id, billing.id],
    });
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: {
          target: { kind: 'team', teamId: team.id },
          input: 'Please hand off to Billing: refund invoice 42',
        },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');

    const turns = (
      await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id })
    ).filter((step) => step.kind === 'agent_turn');
    expect(turns.map((step) => step.agentId)).toEqual([triage.id, billing.id]);
    expect(turns[0]?.output).toMatchObject({ handoff: { agent: 'Billing', agentId: billing.id } });
    expect(turns[1]?.dependsOn).toEqual([turns[0]?.id]);
    expect(turns[1]?.input).toMatchObject({ handoffFrom: { name: 'Triage' }, handoffs: 1 });
    expect(String(finished.result?.output)).toContain('refund invoice 42');

    const events = await listRunEvents(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    expect(events.find((event) => event.type === 'handoff')?.data).toMatchObject({
      to: { name: 'Billing' },
    });
  });
});
