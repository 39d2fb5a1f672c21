import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRunSteps, listRunUsageRecords } from '@switchyard/database';
import {
  createScriptedProvider,
  isProviderError,
  type ModelProvider,
  type ModelResponse,
} from '../providers';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { createScriptedAgent, RUN_SETTINGS } from '../engine/testing/fixtures';
import { cancelRun } from './cancel-run';
import { createRun } from './create-run';

/** A scripted model whose calls take a minute unless aborted; reports each call's start and end. */
function slowModel() {
  const inner = createScriptedProvider({ latencyMs: 60_000 });
  let announceStart: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    announceStart = resolve;
  });
  const outcomes: Promise<ModelResponse>[] = [];
  const provider: ModelProvider = {
    id: inner.id,
    label: inner.label,
    complete(request) {
      const call = inner.complete(request);
      outcomes.push(call);
      announceStart();
      return call;
    },
  };
  return { provider, started, outcomes };
}

describe('cancelRun', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
    await harness.startWorker();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('aborts the model call in flight and cancels every unfinished step', async () => {
    const slow = slowModel();
    harness.providers.set('scripted', { provider: slow.provider });
    const agent = await createScriptedAgent(harness, 'Slowpoke');
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'agent', agentId: agent.id }, input: 'Think for a long time' },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    await slow.started;

    const cancelled = await cancelRun(
      { orgId: harness.orgId, runId: run.id, actor: { userId: harness.userId } },
      harness.engine,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', stopReason: 'cancelled' });

    // The minute-long call ends now, aborted by the cancel signal.
    const [call] = slow.outcomes;
    const failure: unknown = await call?.then(
      () => null,
      (error: unknown) => error,
    );
    expect(isProviderError(failure) && failure.kind).toBe('aborted');

    const steps = await listRunSteps(harness.database.db, { orgId: harness.orgId, runId: run.id });
    expect(steps.map((step) => step.status)).toEqual(['cancelled']);
    expect(
      await listRunUsageRecords(harness.database.db, { orgId: harness.orgId, runId: run.id }),
    ).toEqual([]);

    // Cancelling again is harmless; the run stays cancelled.
    const again = await cancelRun(
      { orgId: harness.orgId, runId: run.id, actor: { userId: harness.userId } },
      harness.engine,
    );
    expect(again.status).toBe('cancelled');
    harness.providers.set('scripted', { provider: createScriptedProvider() });
  });

  it('refuses to cancel a finished run', async () => {
    const agent = await createScriptedAgent(harness, 'Quick');
    const { run } = await createRun(
      {
        orgId: harness.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'agent', agentId: agent.id }, input: 'Say hi' },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    await harness.waitForRun(run.id, ['succeeded']);
    await expect(
      cancelRun(
        { orgId: harness.orgId, runId: run.id, actor: { userId: harness.userId } },
        harness.engine,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
