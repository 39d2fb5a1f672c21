import type { Database } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import type { StorageDriver } from '@switchyard/storage';
import type { ModelProvider, RateLimiter } from '../providers';
import type { OrgConcurrencyLimiter } from '../queue/org-concurrency';
import type { RunQueue } from '../queue/run-queue';
import type { ToolRegistry } from '../tools/tool-registry';
import type { CancelListener } from './cancel-listener';

/** A configured model provider and, when its API has limits, the shared limiter of its key. */
export type ResolvedProvider = { provider: ModelProvider; limiter?: RateLimiter };

/** The providers this process can call, by provider id (`openai`, `scripted`, ...). */
export type ProviderRegistry = { get(providerId: string): ResolvedProvider | undefined };

/** What the API side needs to create, cancel, approve and retry runs. */
export type RunServiceDeps = {
  db: Database;
  /** Publishes run events and cancel signals. */
  redis: Redis;
  queue: RunQueue;
  log: Logger;
};

export type EngineSettings = {
  /** Identifies this worker process in `steps.claimed_by`. */
  workerId: string;
  /** A claimed step whose lease is not renewed for this long counts as stalled. */
  leaseMs: number;
  /** How often a running step renews its lease; a third of the lease by default. */
  heartbeatMs?: number;
  /** One execution of one step is aborted (and retried) after this long. */
  stepTimeoutMs: number;
  /** How long a step of an org at its concurrency limit waits before trying again. */
  orgLimitDelayMs: number;
  /** Most hand-offs in one run of a handoff team. */
  maxHandoffs: number;
  /** Streamed text is stored as `model.delta` events at most this often. */
  deltaFlushMs: number;
};

export const DEFAULT_ENGINE_SETTINGS: Omit<EngineSettings, 'workerId'> = {
  leaseMs: 30_000,
  stepTimeoutMs: 10 * 60_000,
  orgLimitDelayMs: 1_000,
  maxHandoffs: 8,
  deltaFlushMs: 250,
};

/** Everything `executeStep` uses. Built once per worker process. */
export type EngineDeps = RunServiceDeps & {
  providers: ProviderRegistry;
  /** The tools agents may be given, by name: `createToolRegistry(createBuiltInTools())`. */
  tools: Pick<ToolRegistry, 'get'>;
  storage: StorageDriver;
  settings: EngineSettings;
  /** Aborts steps of cancelled runs on this process; without it, cancel is seen at checkpoints. */
  cancellation?: CancelListener;
  /** Per-org limit of steps executing at once; unlimited without it. */
  orgConcurrency?: OrgConcurrencyLimiter;
};
