import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import { closeRedis, openRedis } from '../connections';
import { createTestConfig, LOCAL_REDIS_URL, UNREACHABLE_DATABASE_URL } from '../testing/test-app';

const logger = createLogger({ name: 'api', level: 'silent' });
let migrated: TestDatabase;
let unmigrated: TestDatabase;
const apps: App[] = [];

beforeAll(async () => {
  [migrated, unmigrated] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ migrate: false }),
  ]);
});

afterAll(async () => {
  await Promise.all([migrated?.drop(), unmigrated?.drop()]);
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function getReadyz(env: { DATABASE_URL: string; REDIS_URL: string }) {
  const app = await buildApp(createTestConfig(env), { logger });
  apps.push(app);
  return app.inject({ method: 'GET', url: '/readyz' });
}

describe('GET /readyz', () => {
  it('answers 200 when PostgreSQL and Redis answer and every migration is applied', async () => {
    const response = await getReadyz({ DATABASE_URL: migrated.url, REDIS_URL: LOCAL_REDIS_URL });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' },
    });
  });

  it('answers 503 naming postgres when the database is unreachable', async () => {
    const response = await getReadyz({
      DATABASE_URL: UNREACHABLE_DATABASE_URL,
      REDIS_URL: LOCAL_REDIS_URL,
    });

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json() as { detail: string; checks: Record<string, string> };
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(problem.detail).toContain('postgres');
    expect(problem.detail).not.toContain('redis');
    expect(problem.checks).toMatchObject({ postgres: 'unreachable', redis: 'ok' });
  });

  it('answers 503 naming redis when Redis is unreachable', async () => {
    const response = await getReadyz({
      DATABASE_URL: migrated.url,
      REDIS_URL: 'redis://127.0.0.1:1',
    });

    expect(response.statusCode).toBe(503);
    const problem = response.json() as { detail: string; checks: Record<string, string> };
    expect(problem.detail).toContain('redis');
    expect(problem.detail).not.toContain('postgres');
    expect(problem.checks).toEqual({ postgres: 'ok', redis: 'unreachable', migrations: 'ok' });
  });

  it('answers 503 naming migrations when the database has pending migrations', async () => {
    const response = await getReadyz({ DATABASE_URL: unmigrated.url, REDIS_URL: LOCAL_REDIS_URL });

    expect(response.statusCode).toBe(503);
    const problem = response.json() as { detail: string; checks: Record<string, string> };
    expect(problem.detail).toContain('migrations are pending');
    expect(problem.checks).toEqual({ postgres: 'ok', redis: 'ok', migrations: 'pending' });
  });

  it('uses injected connections and leaves them open when the app closes', async () => {
    const config = createTestConfig({ REDIS_URL: LOCAL_REDIS_URL });
    const redis = openRedis(config, logger);
    try {
      const app = await buildApp(config, { database: migrated, redis, logger });
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      await app.close();

      expect(response.statusCode).toBe(200);
      expect(redis.status).toBe('ready');
      expect((await migrated.pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await closeRedis(redis);
    }
  });
});
