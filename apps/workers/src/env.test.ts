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
    });

    expect(config).toMatchObject({
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
