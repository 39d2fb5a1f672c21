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

/** The value of one sample line of the exposition, `name{labels} value`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  const queuePrefix = createTestQueuePrefix();
  let database: TestDatabase;
  let app: WorkersApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = createTestWorkersConfig({ databaseUrl: database.url, queuePrefix });
    app = await startWorkers(config, { logger: createSilentLogger() });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  });

  const scrape = async () => {
    const response = await fetch(`http://${app.health.host}:${app.health.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('exposes queue depth, step timings, retries, stalls, tokens and cost after a run', async () => {
    const org = await createOrganization(database.db, { name: 'Metrics org', slug: 'metrics' });
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
    const { run } = await createRun(
      {
        orgId: org.id,
        actor: { userId: null },
        input: { target: { kind: 'agent', agentId: agent.id }, input: 'What is 6 * 7?' },
      },
      { ...app.engine, settings: { runMaxDurationMs: 60_000 } },
    );
    await vi.waitFor(
      async () => {
        const current = await getRun({ orgId: org.id, runId: run.id }, { db: database.db });
        if (current?.status !== 'succeeded') throw new Error(`run is ${current?.status}`);
      },
      { timeout: 30_000, interval: 50 },
    );

    // The completed event of the last job may land just after the run row says succeeded.
    const text = await vi.waitFor(
      async () => {
        const current = await scrape();
        const count = sample(
          current,
          'switchyard_step_duration_seconds_count{outcome="succeeded"}',
        );
        if (!count) throw new Error('no step duration observed yet');
        return current;
      },
      { timeout: 10_000, interval: 50 },
    );

    for (const queue of ['steps', 'schedules', 'maintenance']) {
      for (const state of ['waiting', 'prioritized', 'active', 'delayed']) {
        expect(sample(text, `switchyard_queue_jobs{queue="${queue}",state="${state}"}`)).toBeTypeOf(
          'number',
        );
      }
    }
    expect(sample(text, 'switchyard_step_wait_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'switchyard_step_retries_total')).toBe(0);
    expect(sample(text, 'switchyard_step_stalls_total{source="reaper"}')).toBe(0);
    expect(sample(text, 'switchyard_step_stalls_total{source="bullmq"}')).toBe(0);
    const labels = 'provider="scripted",model="scripted"';
    expect(
      sample(text, `switchyard_model_tokens_total{${labels},direction="input"}`),
    ).toBeGreaterThan(0);
    expect(
      sample(text, `switchyard_model_tokens_total{${labels},direction="output"}`),
    ).toBeGreaterThan(0);
    // The scripted model is free.
    expect(sample(text, `switchyard_model_cost_micros_total{${labels}}`)).toBe(0);
    expect(text).toContain('switchyard_workers_process_cpu_seconds_total');
  });
});
