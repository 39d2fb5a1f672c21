import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAgent, createRun, getRun } from '@switchyard/agents';
import { createOrganization } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import {
  createSilentLogger,
  createTestQueuePrefix,
  createTestWorkersConfig,
  deleteQueueKeys,
} from '../testing/test-workers-config';
import { startWorkers, type WorkersApp } from '../worker-app';

describe('steps worker', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let app: WorkersApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = createTestWorkersConfig({
      databaseUrl: database.url,
      queuePrefix,
      overrides: { STEP_CONCURRENCY: '2' },
    });
    app = await startWorkers(config, { logger: createSilentLogger() });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  it('executes a run on the scripted model end to end', async () => {
    const org = await createOrganization(database.db, { name: 'Workers org', slug: 'workers-org' });
    const agent = await createAgent(
      {
        orgId: org.id,
        actor: { userId: null },
        input: {
          name: 'Calculator',
          instructions: 'You compute.',
          provider: 'scripted',
          model: 'scripted',
          tools: ['calculator'],
        },
      },
      { db: database.db },
    );
    // The api side enqueues through the same queue the app consumes.
    const { run } = await createRun(
      {
        orgId: org.id,
        actor: { userId: null },
        input: { target: { kind: 'agent', agentId: agent.id }, input: 'What is 6 * 7?' },
      },
      { ...app.engine, settings: { runMaxDurationMs: 60_000 } },
    );

    const finished = await vi.waitFor(
      async () => {
        const current = await getRun({ orgId: org.id, runId: run.id }, { db: database.db });
        if (current?.status !== 'succeeded') throw new Error(`run is ${current?.status}`);
        return current;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(String(finished.result?.output)).toContain('42');
    expect(finished.steps.map((step) => step.kind)).toEqual([
      'agent_turn',
      'model_call',
      'tool_call',
      'model_call',
    ]);
  });
});
