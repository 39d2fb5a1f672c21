import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINED_TRANSACTION_SETTINGS } from '../client';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createOrganization } from './organizations';
import { insertRunEvents } from './run-events';
import { getRun, lockRun, updateRun } from './runs';
import { insertTestRun } from './test-run';
import { claimStepWithEvents, completeStepWithEvents, getStep, insertSteps } from './steps';

// One connection, so every named statement the engine prepared can be read back from
// `pg_prepared_statements` and its generic plan explained on the same session.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ max: 1 });
});
afterAll(async () => {
  await database?.drop();
});

/** The indexes a key lookup must not be answered from: they list many rows of an org. */
const WRONG_ACCESS =
  /(Index Scan using|Bitmap Index Scan on) (runs_org_id_\w+|steps_running_lease_idx|steps_queued_updated_at_idx)|Seq Scan on (runs|steps)\b/;

/** Index scans of `runs` or `steps` with no index condition: they read the whole index. */
function fullIndexScans(plan: string): string[] {
  const lines = plan.split('\n');
  return lines.filter((line, index) => {
    if (!/Index (Only )?Scan using \w+ on (runs|steps)\b/.test(line)) return false;
    const rest = lines.slice(index + 1);
    const next = rest.findIndex((after) => after.includes('->'));
    return !rest
      .slice(0, next === -1 ? undefined : next)
      .some((after) => after.includes('Index Cond'));
  });
}

describe('the run engine’s key lookups, on fresh tables and on busy ones', () => {
  it('use the primary key in their generic plans, not an org index or a partial index', async () => {
    // The tables are fresh: never analysed, a page or so each, as on a new deployment.
    const org = await createOrganization(database.db, {
      name: 'Plans org',
      slug: `plans-${randomUUID().slice(0, 8)}`,
    });
    // Four runs of one step each, claimed and completed at once: the first two calls go alone
    // (the single statements), the other two together (the batched ones).
    const runs = await Promise.all([1, 2, 3, 4].map(() => insertTestRun(database.db, org.id)));
    const claims = await Promise.all(
      runs.map(async (run) => {
        const [step] = await insertSteps(database.db, {
          steps: [
            { runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'queued', input: {} },
          ],
        });
        if (!step) throw new Error('no step');
        return {
          orgId: org.id,
          runId: run.id,
          stepId: step.id,
          workerId: 'w',
          claimToken: randomUUID(),
          leaseMs: 1,
        };
      }),
    );
    const [claim] = claims;
    if (!claim) throw new Error('no claim');
    const key = { orgId: org.id, runId: claim.runId };
    await getRun(database.db, key);
    await lockRun(database.db, key);
    await updateRun(database.db, { ...key, values: { heartbeatAt: new Date() } });
    await getStep(database.db, { orgId: org.id, stepId: claim.stepId });
    await insertRunEvents(database.db, { ...key, events: [{ type: 'run.queued', data: {} }] });
    const claimed = await Promise.all(claims.map((each) => claimStepWithEvents(database.db, each)));
    expect(claimed.every((result) => result !== null)).toBe(true);
    const usage = { inputTokens: 1, outputTokens: 1, costMicros: 1 };
    const completed = await Promise.all(
      claims.map((each) =>
        completeStepWithEvents(database.db, {
          ...each,
          output: {},
          checkpoint: {},
          usage,
          modelCall: {
            id: randomUUID(),
            position: 1,
            input: {},
            output: {},
            usage,
            startedAt: new Date(),
            finishedAt: new Date(),
          },
          usageRecord: { provider: 'scripted', model: 'scripted', ...usage },
          modelCalls: 1,
          events: [],
          result: {},
        }),
      ),
    );
    expect(completed.every((result) => result?.ended)).toBe(true);

    // Explained on the fresh tables, then as on a busy deployment: thousands of steps, most of
    // them done and many queued (their partial index listing them all), with statistics.
    await expectKeyLookups(database);
    await database.pool.query(
      `insert into runs (org_id, target_kind, input, status)
       select $1, 'agent', 'busy', 'running' from generate_series(1, 500)`,
      [org.id],
    );
    await database.pool.query(
      `insert into steps (run_id, org_id, kind, status)
       select r.id, r.org_id, 'agent_turn', case when n = 1 and r.id::text < '1' then 'queued' else 'succeeded' end::step_status
       from runs r, generate_series(1, 12) n where r.input = 'busy'`,
    );
    await database.pool.query('analyze runs; analyze steps');
    await expectKeyLookups(database);
  });
});

/**
 * Explains the generic plan of every named statement touching `runs` or `steps` that the pool's
 * one connection prepared, under the settings it runs with, and expects no wrong access.
 */
async function expectKeyLookups(database: TestDatabase): Promise<void> {
  const client = await database.pool.connect();
  try {
    const { rows } = await client.query<{ name: string; statement: string; params: number }>(
      `select name, statement, cardinality(parameter_types) as params
       from pg_prepared_statements where statement ~ '\\m(runs|steps)\\M'`,
    );
    const names = rows.map((row) => row.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'get_run',
        'lock_run',
        'get_step',
        'insert_run_events',
        'claim_step_with_events',
        'lock_run_for_completion',
        'complete_step_with_events',
        'claim_steps_with_events',
        'lock_runs_for_completion',
        'complete_steps_with_events',
      ]),
    );
    // Statements of `runPipelinedStatements` are planned under its transaction's settings.
    const pipelined = new Set([
      'lock_run_for_completion',
      'complete_step_with_events',
      'claim_steps_with_events',
      'lock_runs_for_completion',
      'complete_steps_with_events',
    ]);
    for (const [index, row] of rows.entries()) {
      await client.query('begin');
      await client.query(
        pipelined.has(row.name)
          ? PIPELINED_TRANSACTION_SETTINGS
          : 'set local plan_cache_mode = force_generic_plan',
      );
      await client.query(`prepare plan_probe_${index} as ${row.statement}`);
      const nulls = Array.from({ length: row.params }, () => 'null').join(', ');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `explain execute plan_probe_${index}${row.params > 0 ? `(${nulls})` : ''}`,
      );
      await client.query(`rollback; deallocate plan_probe_${index}`);
      const text = plan.rows.map((line) => line['QUERY PLAN']).join('\n');
      expect(text, row.name).not.toMatch(WRONG_ACCESS);
      expect(fullIndexScans(text), row.name).toEqual([]);
    }
  } catch (error) {
    // A probe left prepared would be read back as the engine's by the next call.
    await client.query('rollback; deallocate all').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
