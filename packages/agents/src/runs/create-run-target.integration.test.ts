import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, listRunSteps } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { deleteAgent } from '../agents/delete-agent';
import { updateAgent } from '../agents/update-agent';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from '../engine/testing/fixtures';
import { createRun } from './create-run';
import type { RunTarget } from './run-schemas';

describe('createRun: what it pins of its target', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const start = (target: RunTarget, orgId = harness.orgId) =>
    createRun(
      { orgId, actor: { userId: harness.userId }, input: { target, input: 'Write a note' } },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).code, message: (error as AppError).message };
  };

  it('pins the current or the requested version of an agent, and refuses one it lacks', async () => {
    const agent = await createScriptedAgent(harness, 'Versioned');
    await updateAgent(
      {
        orgId: harness.orgId,
        agentId: agent.id,
        actor: { userId: harness.userId },
        input: { instructions: 'Second.' },
      },
      harness.engine,
    );
    const current = await start({ kind: 'agent', agentId: agent.id });
    expect(current.run).toMatchObject({ agentId: agent.id, agentVersion: 2, status: 'queued' });
    expect(current.steps).toMatchObject([
      { kind: 'agent_turn', status: 'queued', agentVersion: 2, input: { agent: 'Versioned' } },
    ]);
    const first = await start({ kind: 'agent', agentId: agent.id, version: 1 });
    expect(first.run.agentVersion).toBe(1);
    expect(await refusal(start({ kind: 'agent', agentId: agent.id, version: 3 }))).toEqual({
      code: 'NOT_FOUND',
      message: 'The agent has no version 3.',
    });
  });

  it('snapshots a team with its members’ names, in order, and their pinned versions', async () => {
    const writer = await createScriptedAgent(harness, 'Snapshot writer');
    const checker = await createScriptedAgent(harness, 'Snapshot checker');
    const team = await createScriptedTeam(harness, {
      name: 'Snapshot team',
      strategy: 'sequential',
      members: [checker.id, writer.id],
    });
    const { run, steps } = await start({ kind: 'team', teamId: team.id });
    expect(run.teamSnapshot).toMatchObject({
      name: 'Snapshot team',
      strategy: 'sequential',
      members: [
        { agentId: checker.id, version: 1 },
        { agentId: writer.id, version: 1 },
      ],
    });
    expect(steps.map((step) => [step.input.agent, step.status])).toEqual([
      ['Snapshot checker', 'queued'],
      ['Snapshot writer', 'pending'],
    ]);
    expect(
      (await listRunSteps(harness.engine.db, { orgId: harness.orgId, runId: run.id })).map(
        (step) => step.id,
      ),
    ).toEqual(steps.map((step) => step.id));
    // A deleted member's pinned version still runs.
    await deleteAgent(
      { orgId: harness.orgId, agentId: writer.id, actor: { userId: harness.userId } },
      harness.engine,
    );
    expect((await start({ kind: 'team', teamId: team.id })).run.teamSnapshot).toMatchObject({
      members: [{ agentId: checker.id }, { agentId: writer.id }],
    });
  });

  it('refuses a deleted agent, another org’s agent or team, and an unknown org', async () => {
    const gone = await createScriptedAgent(harness, 'Gone');
    await deleteAgent(
      { orgId: harness.orgId, agentId: gone.id, actor: { userId: harness.userId } },
      harness.engine,
    );
    expect(await refusal(start({ kind: 'agent', agentId: gone.id }))).toEqual({
      code: 'NOT_FOUND',
      message: 'Agent not found.',
    });
    const other = await createOrganization(harness.engine.db, {
      name: 'Other org',
      slug: `other-${randomUUID().slice(0, 8)}`,
    });
    const mine = await createScriptedAgent(harness, 'Mine');
    const team = await createScriptedTeam(harness, {
      name: 'Mine',
      strategy: 'sequential',
      members: [mine.id],
    });
    expect(await refusal(start({ kind: 'agent', agentId: mine.id }, other.id))).toEqual({
      code: 'NOT_FOUND',
      message: 'Agent not found.',
    });
    expect(await refusal(start({ kind: 'team', teamId: team.id }, other.id))).toEqual({
      code: 'NOT_FOUND',
      message: 'Team not found.',
    });
    expect(await refusal(start({ kind: 'agent', agentId: mine.id }, randomUUID()))).toEqual({
      code: 'NOT_FOUND',
      message: 'Organization not found.',
    });
  });
});
