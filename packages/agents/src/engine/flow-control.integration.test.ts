import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStep, listRunEvents, listRunSteps, listRunUsageRecords } from '@switchyard/database';
import { createRateLimiter, createScriptedProvider, type ModelProvider } from '../providers';
import { createOrgConcurrencyLimiter } from '../queue/org-concurrency';
import { createRun } from '../runs/create-run';
import { retryRun } from '../runs/retry-run';
import { createEngineHarness, type EngineHarness } from './testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from './testing/fixtures';

/** A scripted model whose calls wait until the test opens the gate. */
function gatedModel() {
  const inner = createScriptedProvider();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let announce: () => void = () => undefined;
  const firstCall = new Promise<void>((resolve) => {
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
  return { provider, open, firstCall };
}

describe('flow control', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function start(agentName: string, input = 'Do the thing') {
    const agent = await createScriptedAgent(harness, agentName);
    const { run, steps } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'agent', agentId: agent.id }, input },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    const [step] = steps;
    if (!step) throw new Error('no step');
    return { run, step };
  }

  it('delays, never drops, the steps of an org at its concurrency limit', async () => {
    const gated = gatedModel();
    harness.providers.set('scripted', { provider: gated.provider });
    harness.engine.orgConcurrency = createOrgConcurrencyLimiter({
      redis: harness.redis,
      limit: 1,
      leaseMs: 30_000,
      keyPrefix: `${harness.prefix}:`,
    });
    const worker = await harness.startWorker({ concurrency: 4 });
    try {
      const first = await start('Busy one');
      await gated.firstCall;
      const second = await start('Busy two');
      // The second step is pushed back, unclaimed, while the org's only slot is taken.
      await expect
        .poll(() => harness.queue.getStepJobState(second.step.id), { timeout: 20_000 })
        .toBe('delayed');
      const waiting = await getStep(harness.database.db, {
        orgId: harness.orgId,
        stepId: second.step.id,
      });
      expect(waiting).toMatchObject({ status: 'queued', attempt: 0 });

      gated.open();
      const results = await Promise.all(
        [first.run.id, second.run.id].map((id) =>
          harness.waitForRun(id, ['succeeded', 'failed', 'cancelled']),
        ),
      );
      expect(results.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    } finally {
      harness.engine.orgConcurrency = undefined;
      harness.providers.set('scripted', { provider: createScriptedProvider() });
      await worker.close();
    }
  });

  it('backs off a rate-limited provider for its Retry-After instead of failing', async () => {
    const limiter = createRateLimiter({
      redis: harness.redis,
      provider: 'scripted',
      keyPrefix: `${harness.prefix}:`,
    });
    harness.providers.set('scripted', {
      provider: createScriptedProvider({ script: [{ fail: 'rate_limited', retryAfterMs: 300 }] }),
      limiter,
    });
    const worker = await harness.startWorker();
    try {
      const { run, step } = await start('Limited');
      const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(finished.status).toBe('succeeded');
      const events = await listRunEvents(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      expect(events.filter((event) => event.type === 'step.retrying')).toEqual([
        expect.objectContaining({
          data: { stepId: step.id, reason: 'rate_limited', delayMs: 300 },
        }),
      ]);
      // Waiting out the limit is not a failed attempt.
      expect(
        await getStep(harness.database.db, { orgId: harness.orgId, stepId: step.id }),
      ).toMatchObject({ status: 'succeeded', attempt: 1 });
      // The 429 call was not recorded; only the one that answered was.
      expect(
        await listRunUsageRecords(harness.database.db, { orgId: harness.orgId, runId: run.id }),
      ).toHaveLength(1);
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
      await worker.close();
    }
  });

  it('retries a transient model failure with backoff', async () => {
    harness.providers.set('scripted', {
      provider: createScriptedProvider({ script: [{ fail: 'transient' }] }),
    });
    const worker = await harness.startWorker();
    try {
      const { run, step } = await start('Flaky');
      const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(finished.status).toBe('succeeded');
      const done = await getStep(harness.database.db, { orgId: harness.orgId, stepId: step.id });
      expect(done).toMatchObject({ status: 'succeeded', attempt: 2 });
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
      await worker.close();
    }
  });

  it('fails on a permanent model error, then resumes from the failed step on retry', async () => {
    harness.providers.set('scripted', {
      provider: createScriptedProvider({ script: [{ fail: 'permanent', message: 'bad request' }] }),
    });
    const worker = await harness.startWorker();
    try {
      const { run, step } = await start('Fragile');
      const failed = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'model_error' } });

      const retried = await retryRun(
        { orgId: harness.orgId, runId: run.id, actor: { userId: harness.userId } },
        { ...harness.engine, settings: RUN_SETTINGS },
      );
      expect(retried.status).toBe('running');
      const finished = await harness.waitForRun(run.id, ['succeeded', 'failed', 'cancelled']);
      expect(finished).toMatchObject({ status: 'succeeded', error: null });
      const steps = await listRunSteps(harness.database.db, {
        orgId: harness.orgId,
        runId: run.id,
      });
      expect(steps.find((entry) => entry.id === step.id)?.status).toBe('succeeded');
      await expect(
        retryRun(
          { orgId: harness.orgId, runId: run.id, actor: { userId: harness.userId } },
          { ...harness.engine, settings: RUN_SETTINGS },
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      harness.providers.set('scripted', { provider: createScriptedProvider() });
      await worker.close();
    }
  });
});
