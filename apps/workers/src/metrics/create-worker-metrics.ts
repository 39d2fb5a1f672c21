import type { Job, Queue, Worker } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  computeCostMicros,
  type ExecuteStepOutcome,
  type ProviderRegistry,
  type ReapStalledStepsResult,
  type ResolvedProvider,
} from '@switchyard/agents';
import type { Logger } from '@switchyard/shared';

/** The job states reported as queue depth; `prioritized` jobs are waiting jobs with a priority. */
const DEPTH_STATES = ['waiting', 'prioritized', 'active', 'delayed'] as const;

/** Seconds: from a few ms (the scripted model) to the default 10-minute step timeout. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600,
];
/** Seconds from enqueue to start: the target at light load is under 10 ms. */
const WAIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60];

export type WorkerMetrics = {
  registry: Registry;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  contentType: string;
  /** Counts the steps worker's jobs: durations, waits, retries and BullMQ stalls. */
  observeStepsWorker(worker: Worker): void;
  /** Counts the steps the reaper re-queued (a worker died mid-step). */
  observeReaper(worker: Worker, jobName: string): void;
  /** Wraps every provider so each model call adds its tokens and cost. */
  instrumentProviders(providers: ProviderRegistry): ProviderRegistry;
};

/**
 * The workers' Prometheus metrics, in a registry of their own (several apps may share a process
 * in tests). Queue depth is read from Redis at scrape time; the rest is counted as it happens.
 */
export function createWorkerMetrics(options: {
  /** Queues whose depth `/metrics` reports. */
  queues: Queue[];
  log: Pick<Logger, 'warn'>;
}): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_workers_' });

  new Gauge({
    name: 'switchyard_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, prioritized, active, delayed).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        options.queues.map(async (queue) => {
          try {
            const counts = await queue.getJobCounts(...DEPTH_STATES);
            for (const state of DEPTH_STATES) {
              this.set({ queue: queue.name, state }, counts[state] ?? 0);
            }
          } catch (error) {
            // Redis down: report nothing for the queue rather than failing the scrape.
            options.log.warn({ err: error, queue: queue.name }, 'reading queue depth failed');
          }
        }),
      );
    },
  });
  const stepDuration = new Histogram({
    name: 'switchyard_step_duration_seconds',
    help: 'Time one execution of a step took, by outcome (succeeded, parked, failed, retry, ...).',
    labelNames: ['outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const stepWait = new Histogram({
    name: 'switchyard_step_wait_seconds',
    help: 'Time from a step job being enqueued (or its delay ending) to a worker starting it.',
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'switchyard_step_retries_total',
    help: 'Step executions that failed and will be retried with backoff.',
    registers: [registry],
  });
  const stalls = new Counter({
    name: 'switchyard_step_stalls_total',
    help: 'Stalled steps: BullMQ stalled jobs and steps the reaper re-queued after a worker died.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'switchyard_model_tokens_total',
    help: 'Model tokens used, by provider, model and direction (input, output).',
    labelNames: ['provider', 'model', 'direction'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'switchyard_model_cost_micros_total',
    help: 'Model cost in micro-dollars (price table of the agents package), by provider and model.',
    labelNames: ['provider', 'model'] as const,
    registers: [registry],
  });
  // Created at zero so dashboards see the series before the first event.
  retries.inc(0);
  stalls.inc({ source: 'bullmq' }, 0);
  stalls.inc({ source: 'reaper' }, 0);

  const observeDuration = (job: Job, outcome: string) => {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    stepDuration.observe({ outcome }, Math.max(job.finishedOn - job.processedOn, 0) / 1000);
  };

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeStepsWorker(worker) {
      worker.on('active', (job: Job) => {
        if (job.attemptsMade > 0) return;
        const started = job.processedOn ?? Date.now();
        const ready = job.timestamp + (job.opts.delay ?? 0);
        stepWait.observe(Math.max(started - ready, 0) / 1000);
      });
      worker.on('completed', (job: Job, result: ExecuteStepOutcome | undefined) => {
        observeDuration(job, result?.kind ?? 'unknown');
      });
      worker.on('failed', (job: Job | undefined, error: Error) => {
        if (!job) return;
        const permanent = error.name === 'UnrecoverableError';
        const willRetry = !permanent && job.attemptsMade < (job.opts.attempts ?? 1);
        observeDuration(job, willRetry ? 'retry' : 'failed');
        if (willRetry) retries.inc();
      });
      worker.on('stalled', () => stalls.inc({ source: 'bullmq' }));
    },
    observeReaper(worker, jobName) {
      worker.on('completed', (job: Job, result: unknown) => {
        if (job.name !== jobName) return;
        const requeued = (result as Partial<ReapStalledStepsResult> | undefined)?.requeued;
        if (typeof requeued === 'number' && requeued > 0)
          stalls.inc({ source: 'reaper' }, requeued);
      });
    },
    instrumentProviders(providers) {
      const wrapped = new Map<
        string,
        { source: ResolvedProvider; instrumented: ResolvedProvider }
      >();
      return {
        get(providerId) {
          const resolved = providers.get(providerId);
          if (!resolved) return resolved;
          const known = wrapped.get(providerId);
          if (known?.source === resolved) return known.instrumented;
          const { provider } = resolved;
          const instrumented: ResolvedProvider = {
            ...resolved,
            provider: {
              id: provider.id,
              label: provider.label,
              complete: async (request) => {
                const response = await provider.complete(request);
                const labels = { provider: providerId, model: request.model };
                tokens.inc({ ...labels, direction: 'input' }, response.usage.inputTokens);
                tokens.inc({ ...labels, direction: 'output' }, response.usage.outputTokens);
                const { costMicros } = computeCostMicros(providerId, request.model, response.usage);
                cost.inc(labels, costMicros);
                return response;
              },
            },
          };
          wrapped.set(providerId, { source: resolved, instrumented });
          return instrumented;
        },
      };
    },
  };
}
