import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { createOrganization, deleteOrganization } from './organizations';
import { insertRunEvents } from './run-events';
import { insertTestRun } from './test-run';
import { insertSteps } from './steps';
import { insertToolExecution } from './tool-executions';
import { insertUsageRecord } from './usage-records';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function orgWithRunTree() {
  const org = await createOrganization(database.db, {
    name: 'Deleted org',
    slug: `deleted-${randomUUID().slice(0, 8)}`,
  });
  const run = await insertTestRun(database.db, org.id);
  const [step] = await insertSteps(database.db, {
    steps: [{ runId: run.id, orgId: org.id, kind: 'agent_turn', status: 'running', input: {} }],
  });
  if (!step) throw new Error('no step');
  const key = { orgId: org.id, runId: run.id };
  await insertRunEvents(database.db, { ...key, events: [{ type: 'run.queued', data: {} }] });
  await insertUsageRecord(database.db, {
    ...key,
    stepId: step.id,
    attempt: 1,
    provider: 'scripted',
    model: 'scripted',
    inputTokens: 1,
    outputTokens: 1,
    costMicros: 1,
  });
  await insertToolExecution(database.db, {
    ...key,
    stepId: step.id,
    idempotencyKey: `${step.id}:write_file`,
    tool: 'write_file',
    result: {},
  });
  return org.id;
}

async function rowsOf(orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['runs', 'steps', 'run_events', 'usage_records', 'tool_executions']) {
    const result = await database.db.execute<{ count: number }>(
      sql`select count(*)::integer as count from ${sql.identifier(table)} where org_id = ${orgId}`,
    );
    counts[table] = result.rows[0]?.count ?? -1;
  }
  return counts;
}

describe('deleting an org', () => {
  it('deletes its runs with every row of theirs (through the run), and nothing of another org', async () => {
    const deleted = await orgWithRunTree();
    const kept = await orgWithRunTree();
    const full = { runs: 1, steps: 1, run_events: 1, usage_records: 1, tool_executions: 1 };
    expect(await rowsOf(deleted)).toEqual(full);

    expect(await deleteOrganization(database.db, { orgId: deleted })).toBe(true);

    expect(await rowsOf(deleted)).toEqual({
      runs: 0,
      steps: 0,
      run_events: 0,
      usage_records: 0,
      tool_executions: 0,
    });
    expect(await rowsOf(kept)).toEqual(full);
  });
});
