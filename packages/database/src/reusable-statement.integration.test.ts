import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from './queries/organizations';
import { updateRun } from './queries/runs';
import { getStep, insertSteps, updateClaimedStep, updateStep } from './queries/steps';
import { insertTestRun } from './queries/test-run';
import { createTestDatabase, type TestDatabase } from './testing';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function newStep() {
  const org = await createOrganization(database.db, {
    name: 'Reuse org',
    slug: `reuse-${randomUUID().slice(0, 8)}`,
  });
  const run = await insertTestRun(database.db, org.id);
  const [step] = await insertSteps(database.db, {
    steps: [
      {
        runId: run.id,
        orgId: org.id,
        kind: 'agent_turn',
        status: 'running',
        position: 0,
        input: { task: 'x' },
        output: { text: 'first' },
      },
    ],
  });
  if (!step) throw new Error('no step');
  return { org, run, step };
}

describe('reused statements', () => {
  it('writes a null as SQL NULL, not a JSON null, whichever call built the statement', async () => {
    const { org, step } = await newStep();
    // The same shape (output set to null) twice: the second call reuses the first one's build.
    for (const round of [1, 2]) {
      await updateStep(database.db, {
        orgId: org.id,
        stepId: step.id,
        values: { output: { round } },
      });
      await updateStep(database.db, { orgId: org.id, stepId: step.id, values: { output: null } });
      const { rows } = await database.db.execute<{ is_null: boolean }>(
        sql`select output is null as is_null from steps where id = ${step.id}`,
      );
      expect(rows[0]?.is_null).toBe(true);
    }
  });

  it('stamps updated_at afresh on every execution of a reused update', async () => {
    const { org, step } = await newStep();
    const stamps: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const updated = await updateStep(database.db, {
        orgId: org.id,
        stepId: step.id,
        values: { output: { round } },
      });
      stamps.push(updated?.updatedAt.getTime() ?? 0);
    }
    expect(stamps[1]).toBeGreaterThan(stamps[0] ?? Infinity);
    expect(stamps[2]).toBeGreaterThan(stamps[1] ?? Infinity);
  });

  it('runs on the connection of the transaction that calls it, so a rollback undoes it', async () => {
    const { org, step } = await newStep();
    const token = randomUUID();
    await updateStep(database.db, {
      orgId: org.id,
      stepId: step.id,
      values: { claimToken: token },
    });
    await database.db
      .transaction(async (tx) => {
        const changed = await updateClaimedStep(tx, {
          orgId: org.id,
          stepId: step.id,
          claimToken: token,
          values: { output: { text: 'rolled back' } },
        });
        expect(changed?.output).toEqual({ text: 'rolled back' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await getStep(database.db, { orgId: org.id, stepId: step.id }))?.output).toEqual({
      text: 'first',
    });
  });

  it('keeps a status filter apart from the unfiltered statement of the same columns', async () => {
    const { org, run } = await newStep();
    const key = { orgId: org.id, runId: run.id };
    expect(
      await updateRun(database.db, { ...key, statuses: ['running'], values: { stopReason: 'a' } }),
    ).toBeNull();
    expect(
      (await updateRun(database.db, { ...key, values: { stopReason: 'a' } }))?.stopReason,
    ).toBe('a');
    expect(
      (await updateRun(database.db, { ...key, statuses: ['queued'], values: { stopReason: 'b' } }))
        ?.stopReason,
    ).toBe('b');
  });
});
