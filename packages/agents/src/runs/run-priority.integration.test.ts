import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, getRun, listRunSteps, updateOrganization } from '@switchyard/database';
import { createAgent } from '../agents/create-agent';
import { createEngineHarness, type EngineHarness } from '../engine/testing/engine-harness';
import { RUN_SETTINGS } from '../engine/testing/fixtures';
import { createRun } from './create-run';

describe('run priority by plan tier', () => {
  let harness: EngineHarness;

  beforeAll(async () => {
    harness = await createEngineHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function orgWithAgent(planTier: 'free' | 'pro' | 'enterprise') {
    const org = await createOrganization(harness.database.db, {
      name: `${planTier} org`,
      slug: `${planTier}-${randomBytes(4).toString('hex')}`,
    });
    await updateOrganization(harness.database.db, { orgId: org.id, planTier });
    const agent = await createAgent(
      {
        orgId: org.id,
        actor: { userId: harness.userId },
        input: { name: 'Solo', instructions: 'Answer.', provider: 'scripted', model: 'scripted' },
      },
      harness.engine,
    );
    return { orgId: org.id, agentId: agent.id };
  }

  async function start(
    target: { orgId: string; agentId: string },
    options: { priority?: number; scheduleId?: string } = {},
  ) {
    const { run, steps } = await createRun(
      {
        orgId: target.orgId,
        actor: { userId: harness.userId },
        input: {
          target: { kind: 'agent', agentId: target.agentId },
          input: 'What is 6 * 7?',
          ...(options.priority === undefined ? {} : { priority: options.priority }),
        },
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    return { run, step: steps[0] };
  }

  it('queues the steps of paid tiers ahead of free ones, and never above the tier', async () => {
    const free = await orgWithAgent('free');
    const pro = await orgWithAgent('pro');
    const enterprise = await orgWithAgent('enterprise');

    const freeRun = await start(free);
    const freeAsking = await start(free, { priority: 1 });
    const proRun = await start(pro);
    const enterpriseRun = await start(enterprise);
    const enterpriseBatch = await start(enterprise, { priority: 8 });

    expect(freeRun.run.priority).toBe(5);
    expect(freeAsking.run.priority).toBe(5);
    expect(proRun.run.priority).toBe(3);
    expect(enterpriseRun.run.priority).toBe(1);
    expect(enterpriseBatch.run.priority).toBe(8);
    const job = await harness.queue.queue.getJob(enterpriseRun.step?.id ?? '');
    expect(job?.opts.priority).toBe(1);

    // One worker slot: the queue hands out the most urgent step first, whatever the order of
    // creation.
    const worker = await harness.startWorker({ concurrency: 1 });
    const runs = [freeRun, freeAsking, proRun, enterpriseRun, enterpriseBatch];
    const finished = await Promise.all(
      runs.map(async ({ run }) => {
        await waitForEnd(run.orgId, run.id);
        const [step] = await listRunSteps(harness.database.db, {
          orgId: run.orgId,
          runId: run.id,
        });
        return { runId: run.id, startedAt: step?.startedAt?.getTime() ?? Infinity };
      }),
    );
    await worker.close();
    const order = finished.sort((a, b) => a.startedAt - b.startedAt).map((each) => each.runId);
    expect(order.indexOf(enterpriseRun.run.id)).toBeLessThan(order.indexOf(proRun.run.id));
    expect(order.indexOf(proRun.run.id)).toBeLessThan(order.indexOf(freeRun.run.id));
    expect(order.indexOf(freeRun.run.id)).toBeLessThan(order.indexOf(enterpriseBatch.run.id));
  });

  it('lowers a schedule asking for more urgency than its tier allows to the tier', async () => {
    const pro = await orgWithAgent('pro');
    const { run } = await createRun(
      {
        orgId: pro.orgId,
        actor: { userId: harness.userId },
        input: { target: { kind: 'agent', agentId: pro.agentId }, input: 'Nightly report' },
        scheduleId: null,
        priority: 1,
      },
      { ...harness.engine, settings: RUN_SETTINGS },
    );
    expect(run.priority).toBe(3);
  });

  async function waitForEnd(orgId: string, runId: string) {
    for (let round = 0; round < 900; round += 1) {
      const run = await getRun(harness.database.db, { orgId, runId });
      if (run && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${runId} did not end`);
  }
});
