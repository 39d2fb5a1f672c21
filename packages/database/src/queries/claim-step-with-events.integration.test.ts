import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createOrganization } from './organizations';
import { listRunEvents } from './run-events';
import { getRun, insertRun, updateRun } from './runs';
import { claimStepWithEvents, getStep, insertSteps } from './steps';

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
  const run = await insertRun(database.db, {
    orgId: org.id,
    createdByUserId: null,
    targetKind: 'agent',
    agentId: null,
    agentVersion: null,
    teamId: null,
    teamSnapshot: null,
    input: 'task',
    priority: 5,
    budget: { maxSteps: 3 },
    scheduleId: null,
    deadlineAt: null,
  });
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
});
