import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createOrganization } from './organizations';
import { insertTestRun } from './test-run';
import { insertStepOnce, insertSteps, listSucceededStepsById } from './steps';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function orgWithRun() {
  const org = await createOrganization(database.db, {
    name: 'Steps org',
    slug: `steps-${randomUUID().slice(0, 8)}`,
  });
  return { orgId: org.id, run: await insertTestRun(database.db, org.id) };
}

describe('listSucceededStepsById', () => {
  it('reads the succeeded steps among the ids, of that run and org only, in creation order', async () => {
    const { orgId, run } = await orgWithRun();
    const other = await orgWithRun();
    const row = (position: number, status: 'succeeded' | 'running' | 'pending') => ({
      runId: run.id,
      orgId,
      kind: 'agent_turn' as const,
      status,
      position,
      input: { position },
    });
    const [first, second, running, unasked] = await insertSteps(database.db, {
      steps: [row(1, 'succeeded'), row(2, 'succeeded'), row(3, 'running'), row(4, 'succeeded')],
    });
    const [foreign] = await insertSteps(database.db, {
      steps: [{ ...row(1, 'succeeded'), runId: other.run.id, orgId: other.orgId }],
    });
    if (!first || !second || !running || !unasked || !foreign) throw new Error('no steps');

    const found = await listSucceededStepsById(database.db, {
      orgId,
      runId: run.id,
      stepIds: [second.id, running.id, first.id, foreign.id, 'not-a-uuid'],
    });
    expect(found.map((step) => step.id)).toEqual([first.id, second.id]);
    // Another org's key finds nothing, and no ids read nothing.
    expect(
      await listSucceededStepsById(database.db, {
        orgId: other.orgId,
        runId: run.id,
        stepIds: [first.id],
      }),
    ).toEqual([]);
    expect(
      await listSucceededStepsById(database.db, { orgId, runId: run.id, stepIds: [] }),
    ).toEqual([]);
  });
});

describe('insertStepOnce', () => {
  it('stores a keyed child record once, and refuses a key taken in another org', async () => {
    const { orgId, run } = await orgWithRun();
    const other = await orgWithRun();
    const key = `tool:${randomUUID()}`;
    const child = (values: { orgId: string; runId: string; position: number }) => ({
      step: {
        ...values,
        kind: 'tool_call' as const,
        status: 'succeeded' as const,
        idempotencyKey: key,
        input: { position: values.position },
      },
    });
    const first = await insertStepOnce(database.db, child({ orgId, runId: run.id, position: 1 }));
    const again = await insertStepOnce(database.db, child({ orgId, runId: run.id, position: 2 }));
    expect(again.id).toBe(first.id);
    expect(again.input).toEqual({ position: 1 });
    await expect(
      insertStepOnce(database.db, child({ orgId: other.orgId, runId: other.run.id, position: 1 })),
    ).rejects.toThrow('another org');
    // Steps without a key are never in conflict (the unique index leaves them out).
    const unkeyed = await insertSteps(database.db, {
      steps: [1, 2].map((position) => ({
        orgId,
        runId: run.id,
        kind: 'agent_turn' as const,
        position,
      })),
    });
    expect(unkeyed).toHaveLength(2);
  });
});
