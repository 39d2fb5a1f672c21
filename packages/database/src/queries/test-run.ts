import type { DatabaseExecutor } from '../client';
import { insertRun, type InsertRunParams } from './runs';

/** For tests: a queued run of the org targeting nothing in particular, with `overrides`. */
export function testRunParams(
  orgId: string,
  overrides: Partial<InsertRunParams> = {},
): InsertRunParams {
  return {
    orgId,
    createdByUserId: null,
    targetKind: 'agent',
    agentId: null,
    agentVersion: null,
    teamId: null,
    teamSnapshot: null,
    input: 'task',
    priority: 5,
    budget: {},
    scheduleId: null,
    deadlineAt: null,
    ...overrides,
  };
}

/** For tests: inserts `testRunParams(orgId, overrides)`. */
export function insertTestRun(
  db: DatabaseExecutor,
  orgId: string,
  overrides: Partial<InsertRunParams> = {},
) {
  return insertRun(db, testRunParams(orgId, overrides));
}
