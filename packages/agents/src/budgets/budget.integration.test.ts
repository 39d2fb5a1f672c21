import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRunSteps, listRunUsageRecords } from '@switchyard/database';
import { createScriptedProvider } from '../providers';
import { createRun } from '../runs/create-run';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, createScriptedTeam, RUN_SETTINGS } from '../engine/testing/fixtures';
import type { RunBudgetInput } from '../runs/run-schemas';

describe('run budgets', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function runPipeline(name: string, budget: RunBudgetInput) {
    const first = await createScriptedAgent(harness, `${name} drafter`);
    const second = await createScriptedAgent(harness, `${name} editor`);
    const team = await createScriptedTeam(harness, {
      name: `${name} pipeline`,
      strategy: 'sequential',
      members: [first.id, second.id],
    });
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'team', teamId: team.id }, input: 'Draft a memo', budget },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
    const steps = await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id });
    const usage = await listRunUsageRecords(harness.database.db, {
      orgId: harness.orgId,
      runId: run.id,
    });
    return { finished, steps, usage };
  }

  it('stops before the model call that would exceed the step budget, keeping partial results', async () => {
    const { finished, steps, usage } = await runPipeline('Steps', { maxSteps: 1 });

    expect(finished).toMatchObject({
      status: 'failed',
      stopReason: 'budget_exceeded',
      stepCount: 1,
    });
    expect(finished.error).toMatchObject({ code: 'budget_exceeded', limit: 'maxSteps' });
    expect(usage).toHaveLength(1);
    const [drafted, edited] = steps.filter((step) => step.kind === 'agent_turn');
    expect(drafted?.status).toBe('succeeded');
    expect(edited).toMatchObject({ status: 'failed', error: { code: 'budget_exceeded' } });
    expect(steps.filter((step) => step.parentStepId === edited?.id)).toEqual([]);
    expect(finished.result).toMatchObject({
      partial: true,
      outputs: [{ stepId: drafted?.id, text: expect.stringContaining('Draft a memo') }],
    });
  });

  it('stops before a call whose request would cross the token budget', async () => {
    harness.providers.set('scripted', {
      provider: createScriptedProvider({
        script: [{ content: 'A long draft', usage: { inputTokens: 600, outputTokens: 400 } }],
      }),
    });
    try {
      const { finished, usage } = await runPipeline('Tokens', { maxTokens: 1_005 });
      expect(finished).toMatchObject({ status: 'failed', stopReason: 'budget_exceeded' });
      expect(finished.error).toMatchObject({ limit: 'maxTokens' });
      expect(usage.map((record) => record.inputTokens + record.outputTokens)).toEqual([1_000]);
      expect(finished.inputTokens + finished.outputTokens).toBe(1_000);
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
    }
  });

  it('lets a run within its budget finish', async () => {
    const { finished, usage } = await runPipeline('Roomy', { maxSteps: 2, maxTokens: 100_000 });
    expect(finished.status).toBe('succeeded');
    expect(usage).toHaveLength(2);
    expect(finished.stepCount).toBe(2);
  });

  it('counts every model call of a run without a step budget when the call is recorded', async () => {
    const { finished, usage } = await runPipeline('Uncapped', { maxTokens: 100_000 });
    expect(finished.status).toBe('succeeded');
    expect(usage).toHaveLength(2);
    expect(finished.stepCount).toBe(2);
    expect(finished.inputTokens).toBe(usage.reduce((sum, record) => sum + record.inputTokens, 0));
  });
});
