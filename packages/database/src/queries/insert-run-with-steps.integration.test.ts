import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { insertRunWithSteps } from './insert-run-with-steps';
import { createOrganization } from './organizations';
import { insertRunEvents, listRunEvents } from './run-events';
import { getRun } from './runs';
import { testRunParams } from './test-run';
import { listRunSteps } from './steps';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('insertRunWithSteps', () => {
  it('stores the run, its steps in the order given and its first event, numbered from 1', async () => {
    const org = await createOrganization(database.db, {
      name: 'Runs org',
      slug: `runs-${randomUUID().slice(0, 8)}`,
    });
    const runId = randomUUID();
    const ids = [randomUUID(), randomUUID(), randomUUID()].sort().reverse();
    const deadlineAt = new Date(Date.now() + 60_000);
    const inserted = await insertRunWithSteps(database.db, {
      run: {
        ...testRunParams(org.id, {
          input: 'Write a note',
          priority: 3,
          budget: { maxTokens: 100 },
          deadlineAt,
        }),
        id: runId,
      },
      steps: ids.map((id, index) => ({
        id,
        runId,
        orgId: org.id,
        kind: 'agent_turn',
        status: index === 0 ? 'queued' : 'pending',
        position: index,
        dependsOn: index === 0 ? [] : [ids[index - 1] ?? ''],
        input: { agent: `Member ${index + 1}` },
      })),
      event: { type: 'run.queued', data: { status: 'queued' } },
    });

    expect(inserted.run).toMatchObject({
      id: runId,
      status: 'queued',
      priority: 3,
      budget: { maxTokens: 100 },
      nextEventSeq: 2,
    });
    expect(inserted.run.deadlineAt?.getTime()).toBe(deadlineAt.getTime());
    expect(inserted.steps.map((step) => [step.id, step.status, step.dependsOn])).toEqual([
      [ids[0], 'queued', []],
      [ids[1], 'pending', [ids[0]]],
      [ids[2], 'pending', [ids[1]]],
    ]);
    expect(inserted.events.map((event) => [event.seq, event.type, event.data])).toEqual([
      [1, 'run.queued', { status: 'queued' }],
    ]);
    // Stored as answered, and the run's next event follows the first.
    const key = { orgId: org.id, runId };
    expect(await getRun(database.db, key)).toEqual(inserted.run);
    expect((await listRunSteps(database.db, key)).map((step) => step.id)).toEqual(ids);
    await insertRunEvents(database.db, { ...key, events: [{ type: 'run.started', data: {} }] });
    expect((await listRunEvents(database.db, key)).map((event) => event.seq)).toEqual([1, 2]);
  });
});
