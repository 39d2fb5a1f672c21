import { EventEmitter } from 'node:events';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { ModelRequest, ProviderRegistry } from '@switchyard/agents';
import { createWorkerMetrics } from './create-worker-metrics';

const silent = { warn: () => undefined };

/** Stands in for a BullMQ worker: the metrics only listen to its events. */
function fakeWorker(): EventEmitter & Worker {
  return new EventEmitter() as EventEmitter & Worker;
}

function job(fields: Partial<Job>): Job {
  return { attemptsMade: 0, opts: { attempts: 4 }, timestamp: 0, ...fields } as Job;
}

async function value(metrics: ReturnType<typeof createWorkerMetrics>, series: string) {
  const text = await metrics.render();
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createWorkerMetrics', () => {
  it('counts a failed execution that will be retried, not a permanent failure', async () => {
    const metrics = createWorkerMetrics({ queues: [], log: silent });
    const worker = fakeWorker();
    metrics.observeStepsWorker(worker);
    const timed = { processedOn: 1_000, finishedOn: 1_500 };
    worker.emit('failed', job({ attemptsMade: 1, ...timed }), new Error('timeout'));
    worker.emit('failed', job({ attemptsMade: 1, ...timed }), new UnrecoverableError('bad'));
    worker.emit('failed', job({ attemptsMade: 4, ...timed }), new Error('timeout'));

    expect(await value(metrics, 'switchyard_step_retries_total')).toBe(1);
    expect(await value(metrics, 'switchyard_step_duration_seconds_count{outcome="retry"}')).toBe(1);
    expect(await value(metrics, 'switchyard_step_duration_seconds_count{outcome="failed"}')).toBe(
      2,
    );
  });

  it('counts BullMQ stalls and the steps the reaper re-queued', async () => {
    const metrics = createWorkerMetrics({ queues: [], log: silent });
    const steps = fakeWorker();
    const maintenance = fakeWorker();
    metrics.observeStepsWorker(steps);
    metrics.observeReaper(maintenance, 'reap-stalled-steps');
    steps.emit('stalled', 'job-1');
    maintenance.emit('completed', job({ name: 'reap-stalled-steps' }), { requeued: 3 });
    maintenance.emit('completed', job({ name: 'audit-retention-sweep' }), { requeued: 9 });

    expect(await value(metrics, 'switchyard_step_stalls_total{source="bullmq"}')).toBe(1);
    expect(await value(metrics, 'switchyard_step_stalls_total{source="reaper"}')).toBe(3);
  });

  it('measures the wait from enqueue to start of a first attempt', async () => {
    const metrics = createWorkerMetrics({ queues: [], log: silent });
    const worker = fakeWorker();
    metrics.observeStepsWorker(worker);
    worker.emit('active', job({ timestamp: 1_000, processedOn: 1_004 }));
    worker.emit('active', job({ timestamp: 1_000, processedOn: 9_000, attemptsMade: 1 }));

    expect(await value(metrics, 'switchyard_step_wait_seconds_count')).toBe(1);
    expect(await value(metrics, 'switchyard_step_wait_seconds_bucket{le="0.005"}')).toBe(1);
  });

  it('adds the tokens and priced cost of every model call', async () => {
    const metrics = createWorkerMetrics({ queues: [], log: silent });
    const providers: ProviderRegistry = {
      get: () => ({
        provider: {
          id: 'openai',
          label: 'OpenAI',
          complete: async () => ({
            message: { role: 'assistant', content: 'hi' },
            usage: { inputTokens: 1_000, outputTokens: 500 },
            finishReason: 'stop',
          }),
        },
      }),
    };
    const resolved = metrics.instrumentProviders(providers).get('openai');
    const request = { model: 'gpt-4o', messages: [] } as unknown as ModelRequest;
    await resolved?.provider.complete(request);

    const labels = 'provider="openai",model="gpt-4o"';
    expect(await value(metrics, `switchyard_model_tokens_total{${labels},direction="input"}`)).toBe(
      1_000,
    );
    expect(
      await value(metrics, `switchyard_model_tokens_total{${labels},direction="output"}`),
    ).toBe(500);
    expect(await value(metrics, `switchyard_model_cost_micros_total{${labels}}`)).toBeGreaterThan(
      0,
    );
  });
});
