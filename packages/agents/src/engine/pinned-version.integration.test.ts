import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRunSteps } from '@switchyard/database';
import { createScriptedProvider } from '../providers';
import { updateAgent } from '../agents/update-agent';
import { createRun } from '../runs/create-run';
import { updateTeam } from '../teams/update-team';
import {
  createEngineHarness,
  recordingProvider,
  type EngineHarness,
} from './testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from './testing/fixtures';

describe('pinned agent versions', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('runs the versions pinned when the run was created, whatever is edited meanwhile', async () => {
    const recorder = recordingProvider(createScriptedProvider());
    harness.providers.set('scripted', { provider: recorder.provider });
    const writer = await createScriptedAgent(harness, 'Pinned writer', {
      instructions: 'Version one instructions.',
    });
    const reviewer = await createScriptedAgent(harness, 'Pinned reviewer', {
      instructions: 'Reviewer, version one.',
    });
    const team = await createScriptedTeam(harness, {
      name: 'Pinned team',
      strategy: 'sequential',
      members: [writer.id, reviewer.id],
    });
    // No worker yet: the run is in flight (queued) while its agents and team change.
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'team', teamId: team.id }, input: 'Write a haiku' },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const actor = { userId: harness.userId };
    const edited = await updateAgent(
      {
        orgId: harness.orgId,
        agentId: reviewer.id,
        actor,
        input: { instructions: 'Version two!' },
      },
      harness.engine,
    );
    expect(edited.currentVersion).toBe(2);
    await updateTeam(
      {
        orgId: harness.orgId,
        teamId: team.id,
        actor,
        input: { members: [{ agentId: reviewer.id }] },
      },
      harness.engine,
    );

    await harness.startWorker();
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');
    const turns = (
      await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id })
    ).filter((step) => step.kind === 'agent_turn');
    expect(turns.map((step) => [step.agentId, step.agentVersion])).toEqual([
      [writer.id, 1],
      [reviewer.id, 1],
    ]);
    const systemPrompts = recorder.requests.map((request) => request.messages[0]?.content ?? '');
    expect(systemPrompts).toHaveLength(2);
    expect(systemPrompts[1]).toContain('Reviewer, version one.');
    expect(systemPrompts.join('\n')).not.toContain('Version two!');
  });
});
