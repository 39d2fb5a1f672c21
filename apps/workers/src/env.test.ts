import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '@switchyard/shared';
import { loadWorkersConfig } from './env';

describe('loadWorkersConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    expect(loadWorkersConfig({})).toEqual({
      nodeEnv: 'development',
      logLevel: 'info',
      logPretty: false,
      databaseUrl: DEFAULT_DATABASE_URL,
      databasePoolMax: 5,
      redisUrl: DEFAULT_REDIS_URL,
      healthHost: '127.0.0.1',
      healthPort: 4001,
      concurrency: 4,
      auditRetentionDays: 365,
      auditRetentionCron: '17 3 * * *',
      shutdownTimeoutMs: 30_000,
      queuePrefix: 'switchyard',
      stepConcurrency: 8,
      orgConcurrencyLimit: 4,
      stepLeaseMs: 30_000,
      stepTimeoutMs: 600_000,
      runMaxDurationMs: 3_600_000,
      reaperIntervalMs: 15_000,
      dataDir: '.data',
      providers: {},
    });
  });

  it('reads every setting from the environment', () => {
    const config = loadWorkersConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'true',
      DATABASE_URL: 'postgres://app:secret@db:5432/switchyard',
      DATABASE_POOL_MAX: '12',
      REDIS_URL: 'rediss://cache:6380',
      WORKERS_HEALTH_HOST: '0.0.0.0',
      WORKERS_HEALTH_PORT: '9001',
      WORKER_CONCURRENCY: '16',
      AUDIT_RETENTION_DAYS: '30',
      AUDIT_RETENTION_CRON: '0 0 * * 0',
      SHUTDOWN_TIMEOUT_MS: '5000',
      QUEUE_PREFIX: '{switchyard}',
      METRICS_TOKEN: 'm'.repeat(32),
    });

    expect(config).toMatchObject({
      metricsToken: 'm'.repeat(32),
      nodeEnv: 'production',
      logLevel: 'warn',
      logPretty: true,
      databasePoolMax: 12,
      redisUrl: 'rediss://cache:6380',
      healthHost: '0.0.0.0',
      healthPort: 9001,
      concurrency: 16,
      auditRetentionDays: 30,
      auditRetentionCron: '0 0 * * 0',
      shutdownTimeoutMs: 5000,
      queuePrefix: '{switchyard}',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadWorkersConfig({ WORKER_CONCURRENCY: '', QUEUE_PREFIX: '' })).toMatchObject({
      concurrency: 4,
      queuePrefix: 'switchyard',
    });
  });

  it('reads the agent runtime settings and configures only the providers given a key or URL', () => {
    const config = loadWorkersConfig({
      STEP_CONCURRENCY: '32',
      ORG_CONCURRENCY_LIMIT: '0',
      STEP_LEASE_MS: '10000',
      STEP_TIMEOUT_MS: '60000',
      RUN_MAX_DURATION_MS: '7200000',
      REAPER_INTERVAL_MS: '5000',
      DATA_DIR: '/var/lib/switchyard',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
    });

    expect(config).toMatchObject({
      stepConcurrency: 32,
      orgConcurrencyLimit: 0,
      stepLeaseMs: 10_000,
      stepTimeoutMs: 60_000,
      runMaxDurationMs: 7_200_000,
      reaperIntervalMs: 5_000,
      dataDir: '/var/lib/switchyard',
      providers: {
        anthropic: { apiKey: 'sk-ant-test' },
        openaiCompatible: { baseUrl: 'http://127.0.0.1:11434/v1' },
      },
    });
    expect(config.providers).not.toHaveProperty('openai');
  });

  it('refuses agent runtime settings out of range', () => {
    let error: unknown;
    try {
      loadWorkersConfig({ STEP_CONCURRENCY: '0', STEP_LEASE_MS: '10', OPENAI_BASE_URL: 'ftp://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'OPENAI_BASE_URL',
      'STEP_CONCURRENCY',
      'STEP_LEASE_MS',
    ]);
  });

  it('lists every bad setting in one error', () => {
    let error: unknown;
    try {
      loadWorkersConfig({
        DATABASE_URL: 'mysql://db/switchyard',
        REDIS_URL: 'http://cache:6379',
        WORKERS_HEALTH_PORT: '70000',
        WORKER_CONCURRENCY: '0',
        AUDIT_RETENTION_DAYS: '0',
        AUDIT_RETENTION_CRON: 'daily',
        SHUTDOWN_TIMEOUT_MS: 'soon',
        QUEUE_PREFIX: 'has spaces',
        LOG_PRETTY: 'yes',
        METRICS_TOKEN: 'short',
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
      [
        'AUDIT_RETENTION_CRON',
        'AUDIT_RETENTION_DAYS',
        'DATABASE_URL',
        'LOG_PRETTY',
        'METRICS_TOKEN',
        'QUEUE_PREFIX',
        'REDIS_URL',
        'SHUTDOWN_TIMEOUT_MS',
        'WORKERS_HEALTH_PORT',
        'WORKER_CONCURRENCY',
      ].sort(),
    );
    expect(problems).toContain('AUDIT_RETENTION_DAYS: must be at least 1 day');
  });
});
