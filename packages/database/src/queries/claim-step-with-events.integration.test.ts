import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createOrganization } from './organizations';
import { listRunEvents } from './run-events';
import { getRun, updateRun } from './runs';
import { listRunUsageRecords } from './usage-records';
import { insertTestRun } from './test-run';
import { claimStepWithEvents, completeStepWithEvents, getStep, insertSteps } from './steps';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function queuedStep(input: Record<string, unknown> = {}) {
  const org = await createOrganization(database.db, {
    name: 'Claim org',
    slug: `claim-${randomUUID().slice(0, 8)}`,
  });
  const run = await insertTestRun(database.db, org.id, { budget: { maxSteps: 3 } });
  const [step] = await insertSteps(database.db, {
    steps: [{ runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'queued', input }],
  });
  if (!step) throw new Error('no step');
  return { orgId: org.id, run, step };
}

const claimOf = (orgId: string, runId: string, stepId: string) => ({
  orgId,
  runId,
  stepId,
  workerId: 'worker-1',
  claimToken: randomUUID(),
  leaseMs: 30_000,
});

describe('claimStepWithEvents', () => {
  it('claims the step, starts the queued run and appends both events in order', async () => {
    const { orgId, run, step } = await queuedStep({ subtaskId: 'research' });
    const claim = claimOf(orgId, run.id, step.id);
    const claimed = await claimStepWithEvents(database.db, claim);

    expect(claimed?.step).toMatchObject({
      id: step.id,
      status: 'running',
      attempt: 1,
      claimedBy: 'worker-1',
      claimToken: claim.claimToken,
    });
    expect(claimed?.step.leaseExpiresAt).toBeInstanceOf(Date);
    expect(claimed?.run).toMatchObject({ id: run.id, status: 'running', budget: { maxSteps: 3 } });
    expect(claimed?.run.startedAt).toBeInstanceOf(Date);
    expect(claimed?.events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'run.started'],
      [2, 'step.started'],
    ]);
    expect(claimed?.events[1]?.data).toEqual({
      stepId: step.id,
      kind: 'agent_turn',
      attempt: 1,
      agentId: null,
      agentVersion: null,
      subtaskId: 'research',
      workerId: 'worker-1',
    });
    // What is stored is what was answered, and the run's counter moved past it.
    const stored = await listRunEvents(database.db, { orgId, runId: run.id });
    expect(stored).toEqual(claimed?.events);
    expect((await getRun(database.db, { orgId, runId: run.id }))?.nextEventSeq).toBe(3);
  });

  it('reads the succeeded steps the claimed one depends on, alone and in a batch', async () => {
    const org = await createOrganization(database.db, {
      name: 'Dependencies org',
      slug: `deps-${randomUUID().slice(0, 8)}`,
    });
    // Five runs, each: two done steps, one still running, and a queued join on all three.
    const runs = await Promise.all([1, 2, 3, 4, 5].map(() => insertTestRun(database.db, org.id)));
    const joins = await Promise.all(
      runs.map(async (run) => {
        const base = { runId: run.id, orgId: org.id, kind: 'agent_turn' as const };
        const [first, second, third] = await insertSteps(database.db, {
          steps: [
            { ...base, status: 'succeeded', position: 0, output: { text: 'one' } },
            { ...base, status: 'succeeded', position: 1, output: { text: 'two' } },
            { ...base, status: 'running', position: 2 },
          ],
        });
        if (!first || !second || !third) throw new Error('no steps');
        const [join] = await insertSteps(database.db, {
          steps: [
            {
              ...base,
              status: 'queued',
              position: 3,
              dependsOn: [second.id, third.id, first.id],
            },
          ],
        });
        if (!join) throw new Error('no join');
        return { run, join, done: [first.id, second.id] };
      }),
    );
    // The first two claims go alone (two batches may be in flight), the other three together.
    const sizes = recordBatchSizes();
    const claimed = await Promise.all(
      joins.map(({ run, join }) =>
        claimStepWithEvents(database.db, claimOf(org.id, run.id, join.id)),
      ),
    );
    for (const [index, { done }] of joins.entries()) {
      const dependencies = claimed[index]?.dependencies ?? [];
      expect(dependencies.map((step) => step.id)).toEqual(done);
      expect(dependencies.map((step) => step.output)).toEqual([{ text: 'one' }, { text: 'two' }]);
      expect(dependencies[0]?.createdAt).toBeInstanceOf(Date);
    }
    // Both shapes of the claim read them.
    expect(sizes.claim_step_with_events).toEqual([1, 1]);
    expect(sizes.claim_steps_with_events).toEqual([3]);
    sizes.stop();
  });

  it('changes nothing when the step is held, or its run ended, or it is not of that run', async () => {
    const { orgId, run, step } = await queuedStep();
    expect(await claimStepWithEvents(database.db, claimOf(orgId, run.id, step.id))).not.toBeNull();
    // Held under a live lease: a second worker gets nothing, and no event is added.
    expect(await claimStepWithEvents(database.db, claimOf(orgId, run.id, step.id))).toBeNull();
    expect(await listRunEvents(database.db, { orgId, runId: run.id })).toHaveLength(2);

    const other = await queuedStep();
    expect(
      await claimStepWithEvents(database.db, claimOf(other.orgId, run.id, other.step.id)),
    ).toBeNull();
    await updateRun(database.db, {
      orgId: other.orgId,
      runId: other.run.id,
      values: { status: 'cancelled' },
    });
    expect(
      await claimStepWithEvents(database.db, claimOf(other.orgId, other.run.id, other.step.id)),
    ).toBeNull();
    expect(
      (await getStep(database.db, { orgId: other.orgId, stepId: other.step.id }))?.status,
    ).toBe('queued');
    expect(await listRunEvents(database.db, { orgId: other.orgId, runId: other.run.id })).toEqual(
      [],
    );
  });

  it('adds only step.started for a run already running', async () => {
    const { orgId, run, step } = await queuedStep();
    await updateRun(database.db, { orgId, runId: run.id, values: { status: 'running' } });
    const claimed = await claimStepWithEvents(database.db, claimOf(orgId, run.id, step.id));
    expect(claimed?.events.map((event) => [event.seq, event.type])).toEqual([[1, 'step.started']]);
  });

  it('completes parallel steps at once and queues their join exactly once, then ends the run', async () => {
    const { orgId, run, step: first } = await queuedStep();
    const [second, join] = await insertSteps(database.db, {
      steps: [
        { runId: run.id, orgId, kind: 'agent_turn', status: 'queued', position: 1 },
        {
          runId: run.id,
          orgId,
          kind: 'synthesis',
          status: 'pending',
          position: 2,
          dependsOn: [first.id],
        },
      ],
    });
    if (!second || !join) throw new Error('no steps');
    await updateStepDependsOn(join.id, [first.id, second.id]);
    const claims = [first, second].map((step) => claimOf(orgId, run.id, step.id));
    for (const claim of claims)
      expect(await claimStepWithEvents(database.db, claim)).not.toBeNull();

    // Both finish at the same moment: while a third transaction holds the run's lock, both
    // completions start and wait for it; the one served second must see the first's write.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from runs where id = ${run.id} for update`);
      locked();
      await held;
    });
    await isLocked;
    const completing = Promise.all(claims.map((claim) => complete(claim)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await holder;
    const finished = await completing;
    expect(finished.every((result) => result !== null)).toBe(true);
    expect(finished.flatMap((result) => result?.ready.map((step) => step.id) ?? [])).toEqual([
      join.id,
    ]);
    expect(finished.some((result) => result?.ended)).toBe(false);

    // A claim that is gone changes nothing.
    const [firstClaim] = claims;
    if (!firstClaim) throw new Error('no claim');
    expect(await complete({ ...firstClaim, claimToken: randomUUID() })).toBeNull();

    const last = claimOf(orgId, run.id, join.id);
    expect(await claimStepWithEvents(database.db, last)).not.toBeNull();
    const ended = await complete(last);
    expect(ended?.ended).toBe(true);
    expect(await getRun(database.db, { orgId, runId: run.id })).toMatchObject({
      status: 'succeeded',
      result: { output: 'done', stepId: join.id },
      inputTokens: 30,
      outputTokens: 15,
      stepCount: 3,
    });
    expect(ended?.events.map((event) => event.type)).toEqual([
      'model.completed',
      'step.succeeded',
      'run.succeeded',
    ]);
    expect(ended?.events[0]?.data.runUsage).toEqual({
      inputTokens: 30,
      outputTokens: 15,
      costMicros: 3,
      steps: 3,
    });
    const events = await listRunEvents(database.db, { orgId, runId: run.id });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(await listRunUsageRecords(database.db, { orgId, runId: run.id })).toHaveLength(3);
  });
});

describe('claims and completions made at once', () => {
  it('share statements across runs, each run getting what it alone would have', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, () => queuedStep()));
    const next = await Promise.all(
      runs.map(async ({ orgId, run, step }) => {
        const [follow] = await insertSteps(database.db, {
          steps: [
            {
              runId: run.id,
              orgId,
              kind: 'agent_turn',
              status: 'pending',
              position: 1,
              dependsOn: [step.id],
            },
          ],
        });
        if (!follow) throw new Error('no step');
        return follow;
      }),
    );
    const claims = runs.map(({ orgId, run, step }) => claimOf(orgId, run.id, step.id));
    const sizes = recordBatchSizes();
    const claimed = await Promise.all(
      claims.map((claim) => claimStepWithEvents(database.db, claim)),
    );
    claimed.forEach((result, index) => {
      expect(result?.step).toMatchObject({ id: runs[index]?.step.id, status: 'running' });
      expect(result?.run.id).toBe(runs[index]?.run.id);
      expect(result?.events.map((event) => [event.seq, event.type, event.runId])).toEqual([
        [1, 'run.started', runs[index]?.run.id],
        [2, 'step.started', runs[index]?.run.id],
      ]);
    });

    // One completion cannot be stored (its model call's id is taken): its batch fails, the
    // others are stored one by one, and only that one fails.
    const BAD = 5;
    const bad = claims[BAD];
    if (!bad) throw new Error('no claim');
    const results = await Promise.allSettled(
      claims.map((claim, index) =>
        complete(claim, index === BAD ? { modelCallId: runs[0]?.step.id } : {}),
      ),
    );
    // The first calls go out alone (two batches in flight, each of one step: the single
    // statements), the others together; the batch that failed went again one at a time.
    expect(sizes.claim_step_with_events).toEqual([1, 1]);
    expect(sizes.claim_steps_with_events).toEqual([10]);
    expect(sizes.complete_step_with_events).toEqual(Array<number>(12).fill(1));
    expect(sizes.complete_steps_with_events).toEqual([10]);
    sizes.stop();
    expect(results[BAD]).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    results.forEach((result, index) => {
      if (index === BAD) return;
      if (result.status !== 'fulfilled') throw result.reason;
      expect(result.value?.ready).toEqual([{ id: next[index]?.id }]);
      expect(result.value?.ended).toBe(false);
      expect(result.value?.events.map((event) => [event.seq, event.type])).toEqual([
        [3, 'model.completed'],
        [4, 'step.succeeded'],
      ]);
      expect(result.value?.events[0]?.data.runUsage).toMatchObject({ inputTokens: 10, steps: 1 });
    });
    // The failed one changed nothing: its step still runs under its claim.
    expect(await getStep(database.db, { orgId: bad.orgId, stepId: bad.stepId })).toMatchObject({
      status: 'running',
      claimToken: bad.claimToken,
    });
    for (const [index, { orgId, run }] of runs.entries()) {
      const events = await listRunEvents(database.db, { orgId, runId: run.id });
      expect(events.map((event) => event.seq)).toEqual(events.map((_, seq) => seq + 1));
      expect(events).toHaveLength(index === BAD ? 2 : 4);
    }
  });
});

/**
 * Records the number of steps of each claim and completion statement the pool's clients send
 * (by statement name), until `stop()`. `pool.query` goes through `connect` too.
 */
function recordBatchSizes(): Record<string, number[]> & { stop: () => void } {
  type Query = (config: unknown, ...rest: unknown[]) => unknown;
  type Client = { query: Query };
  type Connect = (callback?: (error: unknown, client?: Client, done?: unknown) => void) => unknown;
  const pool = database.pool as unknown as { connect: Connect };
  const sizes: Record<string, number[]> = {};
  const restores = new Map<Client, () => void>();
  const watchClient = (client: Client) => {
    if (restores.has(client)) return client;
    const query = client.query;
    client.query = function (this: unknown, config, ...rest) {
      const { name, values } = (config ?? {}) as { name?: string; values?: unknown[] };
      if (name?.endsWith('_with_events')) {
        (sizes[name] ??= []).push(Array.isArray(values?.[0]) ? values[0].length : 1);
      }
      return query.call(this, config, ...rest);
    };
    restores.set(client, () => {
      client.query = query;
    });
    return client;
  };
  const { connect } = pool;
  // Both forms: a promise, and the callback pg-pool's own `query` uses.
  pool.connect = function (this: unknown, callback) {
    if (callback) {
      return connect.call(this, (error, client, done) =>
        callback(error, client && watchClient(client), done),
      );
    }
    return (connect.call(this) as Promise<Client>).then(watchClient);
  };
  return Object.assign(sizes, {
    stop: () => {
      pool.connect = connect;
      for (const restore of restores.values()) restore();
    },
  });
}

async function updateStepDependsOn(stepId: string, dependsOn: string[]) {
  await database.db.execute(
    sql`update steps set depends_on = ${`{${dependsOn.join(',')}}`}::uuid[] where id = ${stepId}`,
  );
}

function complete(claim: ReturnType<typeof claimOf>, options: { modelCallId?: string } = {}) {
  const usage = { inputTokens: 10, outputTokens: 5, costMicros: 1 };
  return completeStepWithEvents(database.db, {
    orgId: claim.orgId,
    runId: claim.runId,
    stepId: claim.stepId,
    claimToken: claim.claimToken,
    output: { text: 'done' },
    checkpoint: { messages: [] },
    usage,
    modelCall: {
      id: options.modelCallId ?? randomUUID(),
      position: 1,
      input: {},
      output: { message: { role: 'assistant', content: 'done' } },
      usage,
      startedAt: new Date(),
      finishedAt: new Date(),
    },
    usageRecord: { provider: 'scripted', model: 'scripted', ...usage },
    modelCalls: 1,
    events: [
      { type: 'model.completed', data: { stepId: claim.stepId } },
      { type: 'step.succeeded', data: { stepId: claim.stepId } },
    ],
    result: { output: 'done', stepId: claim.stepId },
  });
}
