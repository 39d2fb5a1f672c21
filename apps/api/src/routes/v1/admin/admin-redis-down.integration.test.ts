import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../../../app';
import { createTestConfig, UNREACHABLE_REDIS_URL } from '../../../testing/test-app';
import { createOrgRouteFixtures, type Headers } from '../orgs/org-test-fixtures';

/** The queues' Redis is down (the sessions' Redis is up): the worker manager answers 503. */
let database: TestDatabase;
let redis: Redis;
let app: App;
let admin: Headers;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createTestRedis();
  app = await buildApp(
    createTestConfig({
      DATABASE_URL: database.url,
      REDIS_URL: UNREACHABLE_REDIS_URL,
      PUBLIC_URL: 'http://localhost:3000',
      PLATFORM_ADMIN_EMAILS: 'ops@example.com',
    }),
    {
      database: { db: database.db, pool: database.pool },
      redis,
      logger: createLogger({ name: 'api', level: 'silent' }),
    },
  );
  await app.ready();
  const fx = createOrgRouteFixtures({ app, database, close: async () => undefined });
  admin = await fx.signIn(await fx.user({ email: 'ops@example.com' }));
});

afterAll(async () => {
  await app?.close();
  if (redis) await closeTestRedis(redis);
  await database?.drop();
});

describe('the worker manager while Redis is unreachable', () => {
  it.each([
    ['GET', '/v1/admin/queues'],
    ['GET', '/v1/admin/workers'],
    ['POST', '/v1/admin/queues/steps/pause'],
  ] as const)('%s %s answers 503 within seconds instead of hanging', async (method, url) => {
    const started = Date.now();
    const response = await app.inject({ method, url, headers: admin });

    expect(response.statusCode, response.body).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});
