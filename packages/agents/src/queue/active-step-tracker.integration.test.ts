import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, createRedis, type Redis } from '@switchyard/shared';
import {
  createEngineHarness,
  TEST_REDIS_URL,
  type EngineHarness,
} from '../engine/testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from '../engine/testing/fixtures';
import { createScriptedProvider, type ModelProvider } from '../providers';
import { createRun } from '../runs/create-run';
import { createActiveStepTracker } from './active-step-tracker';
import { createStepWorker } from './create-step-worker';

/** A scripted model whose first call waits until the test opens the gate. */
function gatedModel() {
  const inner = createScriptedProvider();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let announce: () => void = () => undefined;
  const called = new Promise<void>((resolve) => {
    announce = resolve;
  });
  const provider: ModelProvider = {
    id: inner.id,
    label: inner.label,
    async complete(request) {
      announce();
      await gate;
      return inner.complete(request);
    },
  };
  return { provider, open, called };
}

describe('the steps worker with an active-step tracker', () => {
  let harness: EngineHarness;
  let bullmq: Redis;

  beforeAll(async () => {
    harness = await createEngineHarness();
    bullmq = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'active-steps-test' });
  });
  afterAll(async () => {
    await harness?.close();
    await bullmq?.quit();
  });

  it('lists a step while a worker executes it, and no longer once it has ended', async () => {
    const gated = gatedModel();
    harness.providers.set('scripted', { provider: gated.provider });
    const activeSteps = createActiveStepTracker();
    const worker = createStepWorker({
      connection: bullmq,
      prefix: harness.prefix,
      concurrency: 2,
      engine: harness.engine,
      log: createLogger({ name: 'active-steps-test', level: 'silent' }),
      autorun: true,
      activeSteps,
    });
    worker.on('error', () => undefined);
    try {
      const agent = await createScriptedAgent(harness, 'Tracked');
      const { run, steps } = await createRun(
        {
          orgId: harness.orgId,
          actor: { userId: harness.userId },
          input: { target: { kind: 'agent', agentId: agent.id }, input: 'Say hello' },
        },
        { ...harness.engine, settings: RUN_SETTINGS },
      );
      await gated.called;

      expect(activeSteps.list()).toEqual([
        {
          stepId: steps[0]?.id,
          runId: run.id,
          orgId: harness.orgId,
          startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);

      gated.open();
      await harness.waitForRun(run.id, ['succeeded', 'failed']);
      await vi.waitFor(() => expect(activeSteps.list()).toEqual([]));
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
      await worker.close();
    }
  });
});
