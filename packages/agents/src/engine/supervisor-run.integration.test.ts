import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRunEvents, listRunSteps, listRunUsageRecords } from '@switchyard/database';
import { createScriptedProvider } from '../providers';
import { createRun } from '../runs/create-run';
import { createEngineHarness, type EngineHarness } from './testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from './testing/fixtures';

describe('supervisor runs', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker({ concurrency: 4 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function createSupervisorTeam(prefix: string) {
    const planner = await createScriptedAgent(harness, `${prefix} Planner`);
    const members = [];
    for (const role of ['Researcher', 'Analyst', 'Writer']) {
      members.push(await createScriptedAgent(harness, `${prefix} ${role}`));
    }
    return createScriptedTeam(harness, {
      name: `${prefix} team`,
      strategy: 'supervisor',
      planner: planner.id,
      members: members.map((member) => member.id),
    });
  }

  it('plans, runs independent subtasks in parallel, fans in, and synthesises the answer', async () => {
    const team = await createSupervisorTeam('Fan');
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'team', teamId: team.id }, input: 'Compare three databases' },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );

    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    expect(finished.status).toBe('succeeded');
    expect(String(finished.result?.output)).toContain('Compare three databases');

    const steps = await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id });
    const executable = steps.filter((step) => !step.parentStepId);
    expect(executable.map((step) => step.kind)).toEqual([
      'plan',
      'agent_turn',
      'agent_turn',
      'agent_turn',
      'synthesis',
    ]);
    expect(executable.every((step) => step.status === 'succeeded')).toBe(true);
    const [, first, second, combine, synthesis] = executable;
    if (!first || !second || !combine || !synthesis) throw new Error('missing steps');
    // Fan-out: the first two parts depend on nothing; fan-in: the third waits for both.
    expect(first.dependsOn).toEqual([]);
    expect(second.dependsOn).toEqual([]);
    expect([...combine.dependsOn].sort()).toEqual([first.id, second.id].sort());
    expect(combine.startedAt?.getTime()).toBeGreaterThanOrEqual(
      Math.max(first.finishedAt?.getTime() ?? Infinity, second.finishedAt?.getTime() ?? Infinity),
    );
    expect(synthesis.dependsOn).toHaveLength(3);

    // One model call per step, each recorded once, all counted on the run.
    const usage = await listRunUsageRecords(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    expect(usage).toHaveLength(5);
    expect(finished.stepCount).toBe(5);
    expect(finished.inputTokens).toBe(usage.reduce((sum, record) => sum + record.inputTokens, 0));

    // The event log is gap-free and ends with the run's success.
    const events = await listRunEvents(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
      limit: 1_000,
    });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.type).toBe('run.queued');
    expect(events.at(-1)?.type).toBe('run.succeeded');
    expect(events.filter((event) => event.type === 'plan.created')).toHaveLength(1);
  });

  it('refuses an invalid plan before any subtask runs', async () => {
    const team = await createSupervisorTeam('Bad');
    harness.providers.set('scripted', {
      provider: createScriptedProvider({
        script: (request) =>
          request.messages[0]?.content.includes('subtasks')
            ? {
                content: JSON.stringify({
                  subtasks: [
                    { id: 'a', agent: 'Bad Researcher', task: 'dig', dependsOn: ['b'] },
                    { id: 'b', agent: 'Somebody Else', task: 'write', dependsOn: [] },
                  ],
                }),
              }
            : undefined,
      }),
    });
    try {
      const { run } = await createRun(
        {
          orgId: harness.orgId,
          actor: { userId: harness.userId },
          input: { target: { kind: 'team', teamId: team.id }, input: 'Plan badly' },
        },
        { ...harness.engine, settings: RUN_SETTINGS },
      );
      const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(finished.status).toBe('failed');
      expect(finished.error).toMatchObject({ code: 'invalid_plan' });

      const steps = await listRunSteps(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      expect(steps.filter((step) => !step.parentStepId).map((step) => step.kind)).toEqual(['plan']);
      const events = await listRunEvents(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      const rejected = events.find((event) => event.type === 'plan.rejected');
      expect(rejected?.data.errors).toEqual([
        { path: 'subtasks.1.agent', message: '"Somebody Else" is not an agent of this team' },
      ]);
      expect(
        events.some((event) => event.type === 'step.started' && event.data.kind === 'agent_turn'),
      ).toBe(false);
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
    }
  });
});
