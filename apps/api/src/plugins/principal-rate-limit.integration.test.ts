import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '@switchyard/auth';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createUser } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, PROBLEM_CONTENT_TYPE, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import { createTestConfig, LOCAL_REDIS_URL } from '../testing/test-app';

const logger = createLogger({ name: 'api', level: 'silent' });
let testDb: TestDatabase;
let redis: Redis;
const apps: App[] = [];
const clients: Redis[] = [];
let time = 1_000_000;

beforeAll(async () => {
  testDb = await createTestDatabase();
  redis = createTestRedis();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await closeTestRedis(redis);
  await testDb.drop();
});

async function startApp(limitPerMinute: string): Promise<App> {
  const client = redis.duplicate();
  clients.push(client);
  const config = createTestConfig({
    DATABASE_URL: testDb.url,
    REDIS_URL: LOCAL_REDIS_URL,
    API_RATE_LIMIT_PER_MINUTE: limitPerMinute,
  });
  const app = await buildApp(config, {
    database: { db: testDb.db, pool: testDb.pool },
    redis: client,
    logger,
    rateLimitClock: () => time,
  });
  apps.push(app);
  await app.ready();
  return app;
}

async function signIn(app: App): Promise<string> {
  const user = await createUser(testDb.db, { email: `${randomUUID()}@example.test`, name: 'U' });
  const tokens = await createSession(
    { userId: user.id, method: 'password', twoFactorVerified: false },
    app.authDeps,
  );
  return `Bearer ${tokens.accessToken}`;
}

function getMe(app: App, authorization: string) {
  return app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
}

describe('per-principal API rate limit', () => {
  it('answers the request after the limit with a 429 problem and Retry-After', async () => {
    const app = await startApp('3');
    const alice = await signIn(app);

    const remaining: Array<string | number | string[] | undefined> = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await getMe(app, alice);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe('3');
      remaining.push(response.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await getMe(app, alice);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.json()).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      reason: 'too_many_requests',
      retryAfterSeconds: 60,
    });
  });

  it('does not count one user against another', async () => {
    const app = await startApp('1');
    const alice = await signIn(app);
    const bob = await signIn(app);

    expect((await getMe(app, alice)).statusCode).toBe(200);
    expect((await getMe(app, alice)).statusCode).toBe(429);
    expect((await getMe(app, bob)).statusCode).toBe(200);
  });

  it('lets the user in again once the minute is over', async () => {
    const app = await startApp('1');
    const alice = await signIn(app);

    expect((await getMe(app, alice)).statusCode).toBe(200);
    time += 30_000;
    const refused = await getMe(app, alice);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    time += 30_000;
    expect((await getMe(app, alice)).statusCode).toBe(200);
  });

  it('leaves public routes alone', async () => {
    const app = await startApp('1');

    for (let i = 0; i < 3; i += 1) {
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('is off when set to 0', async () => {
    const app = await startApp('0');
    const alice = await signIn(app);

    for (let i = 0; i < 3; i += 1) {
      const response = await getMe(app, alice);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});
