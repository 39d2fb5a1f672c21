import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { bumpAgentVersion, getAgent, insertAgent, insertAgentVersion } from './agents';
import { createOrganization } from './organizations';
import { insertRunEvents, listRunEvents } from './run-events';
import { getRun, listRuns, lockRun } from './runs';
import { claimStep, insertSteps, queueReadySteps, updateClaimedStep } from './steps';
import { insertTestRun } from './test-run';

let database: TestDatabase;
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function newOrg() {
  counter += 1;
  return createOrganization(database.db, { name: `Org ${counter}`, slug: `runs-org-${counter}` });
}

function newRun(orgId: string) {
  return insertTestRun(database.db, orgId);
}

const claim = (orgId: string, stepId: string, leaseMs = 30_000) => ({
  orgId,
  stepId,
  workerId: 'worker-1',
  claimToken: randomUUID(),
  leaseMs,
});

describe('run and step queries', () => {
  it("answers another org's run as missing, and lists only the org's runs", async () => {
    const mine = await newOrg();
    const theirs = await newOrg();
    const run = await newRun(mine.id);
    await newRun(theirs.id);

    expect(await getRun(database.db, { orgId: theirs.id, runId: run.id })).toBeNull();
    expect(await getRun(database.db, { orgId: mine.id, runId: 'not-a-uuid' })).toBeNull();
    const listed = await listRuns(database.db, { orgId: mine.id });
    expect(listed.map((entry) => entry.id)).toEqual([run.id]);
  });

  it('pages runs newest first without repeating or skipping one', async () => {
    const org = await newOrg();
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push(await newRun(org.id));
    const firstPage = await listRuns(database.db, { orgId: org.id, limit: 2 });
    const last = firstPage.at(-1);
    if (!last) throw new Error('empty page');
    const rest = await listRuns(database.db, { orgId: org.id, limit: 10, before: last });
    const ids = [...firstPage, ...rest].map((run) => run.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids.sort()).toEqual(created.map((run) => run.id).sort());
  });

  it('lets only one worker claim a queued step, and a stalled one be claimed again', async () => {
    const org = await newOrg();
    const run = await newRun(org.id);
    const [step] = await insertSteps(database.db, {
      steps: [{ runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'queued' }],
    });
    if (!step) throw new Error('no step');

    const claims = await Promise.all(
      [1, 2, 3].map(() => claimStep(database.db, claim(org.id, step.id))),
    );
    const winners = claims.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: 'running', attempt: 1 });

    // A live lease keeps the step; an expired one lets another worker take it over.
    expect(await claimStep(database.db, claim(org.id, step.id))).toBeNull();
    await database.pool.query(
      `update steps set lease_expires_at = now() - interval '1 second' where id = $1`,
      [step.id],
    );
    const takeover = claim(org.id, step.id);
    expect(await claimStep(database.db, takeover)).toMatchObject({ attempt: 2 });

    // The first holder's writes are refused from then on.
    const stale = await updateClaimedStep(database.db, {
      orgId: org.id,
      stepId: step.id,
      claimToken: winners[0]?.claimToken ?? '',
      values: { checkpoint: { stale: true } },
    });
    expect(stale).toBeNull();
  });

  it('queues a fan-in step only once all of its dependencies have succeeded', async () => {
    const org = await newOrg();
    const run = await newRun(org.id);
    const [a, b] = await insertSteps(database.db, {
      steps: [
        { runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'running' },
        { runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'running' },
      ],
    });
    if (!a || !b) throw new Error('no steps');
    const [join] = await insertSteps(database.db, {
      steps: [
        {
          runId: run.id,
          orgId: org.id,
          kind: 'synthesis',
          status: 'pending',
          dependsOn: [a.id, b.id],
        },
      ],
    });

    await database.pool.query(`update steps set status = 'succeeded' where id = $1`, [a.id]);
    expect(await queueReadySteps(database.db, { orgId: org.id, runId: run.id })).toEqual([]);
    await database.pool.query(`update steps set status = 'succeeded' where id = $1`, [b.id]);
    const ready = await queueReadySteps(database.db, { orgId: org.id, runId: run.id });
    expect(ready.map((step) => [step.id, step.status])).toEqual([[join?.id, 'queued']]);
    expect(await queueReadySteps(database.db, { orgId: org.id, runId: run.id })).toEqual([]);
  });

  it('numbers concurrent events of a run without gaps or duplicates', async () => {
    const org = await newOrg();
    const run = await newRun(org.id);
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        database.db.transaction(async (tx) => {
          await lockRun(tx, { orgId: org.id, runId: run.id });
          await insertRunEvents(tx, {
            orgId: org.id,
            runId: run.id,
            events: [
              { type: 'a', data: { index } },
              { type: 'b', data: { index } },
            ],
          });
        }),
      ),
    );
    const events = await listRunEvents(database.db, { orgId: org.id, runId: run.id });
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Each transaction's events stay together and in order.
    for (let i = 0; i < events.length; i += 2) {
      expect([events[i]?.type, events[i + 1]?.type]).toEqual(['a', 'b']);
      expect(events[i + 1]?.data).toEqual(events[i]?.data);
    }
    const resumed = await listRunEvents(database.db, {
      orgId: org.id,
      runId: run.id,
      afterSeq: 18,
    });
    expect(resumed.map((event) => event.seq)).toEqual([19, 20]);
    const other = await newOrg();
    expect(await listRunEvents(database.db, { orgId: other.id, runId: run.id })).toEqual([]);
    const foreign = await insertRunEvents(database.db, {
      orgId: other.id,
      runId: run.id,
      events: [{ type: 'c', data: {} }],
    });
    expect(foreign).toEqual([]);
    expect(await listRunEvents(database.db, { orgId: org.id, runId: run.id })).toHaveLength(20);
  });

  it('gives each agent edit the next version while the agent row keeps one name per org', async () => {
    const org = await newOrg();
    const agent = await insertAgent(database.db, { orgId: org.id, name: 'Scout', createdBy: null });
    const definition = {
      instructions: 'v1',
      provider: 'scripted',
      model: 'scripted',
      parameters: {},
      tools: [],
      maxSteps: 5,
      outputSchema: null,
    };
    await insertAgentVersion(database.db, {
      ...definition,
      orgId: org.id,
      agentId: agent.id,
      version: 1,
      createdBy: null,
    });
    const bumped = await database.db.transaction(async (tx) => {
      const next = await bumpAgentVersion(tx, { orgId: org.id, agentId: agent.id });
      if (!next) throw new Error('agent missing');
      await insertAgentVersion(tx, {
        ...definition,
        instructions: 'v2',
        orgId: org.id,
        agentId: agent.id,
        version: next.currentVersion,
        createdBy: null,
      });
      return next;
    });
    expect(bumped.currentVersion).toBe(2);
    const current = await getAgent(database.db, { orgId: org.id, agentId: agent.id });
    expect(current?.definition.instructions).toBe('v2');
    await expect(
      insertAgent(database.db, { orgId: org.id, name: 'SCOUT', createdBy: null }),
    ).rejects.toMatchObject({ cause: { constraint: 'agents_org_id_name_lower_unique' } });
  });
});
