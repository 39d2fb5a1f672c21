import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis as IORedis } from 'ioredis';
import type { ThrottleSettings } from '@switchyard/auth';
import { createLogger, PROBLEM_CONTENT_TYPE, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import {
  bearer,
  createIdentityTestApp,
  PASSWORD,
  signUpAndLogIn,
  TEST_PUBLIC_URL,
  type IdentityTestApp,
} from '../routes/v1/me/testing/identity-test-app';
import { createTestConfig, LOCAL_REDIS_URL, UNREACHABLE_REDIS_URL } from '../testing/test-app';
import type { RateLimitOverrides } from './rate-limits';

const WRONG = 'not the passphrase 42';
const logger = createLogger({ name: 'api', level: 'silent' });

/** Small limits, so a test reaches them in a few requests. */
const LIMITS: RateLimitOverrides = {
  'POST /v1/auth/login': {
    perIp: { max: 6, windowSeconds: 60 },
    perAccount: { account: 'email', max: 3, windowSeconds: 60 },
  },
  'POST /v1/auth/reauthenticate': {
    perIp: { max: 100, windowSeconds: 60 },
    perAccount: { account: 'user', max: 2, windowSeconds: 60 },
  },
  'GET /v1/auth/oauth/:provider/start': { perIp: { max: 1, windowSeconds: 60 } },
};

/** Progressive delays out of the way of the request limits (their own app below). */
const NO_DELAYS: ThrottleSettings = {
  account: { freeFailures: 1000, initialDelaySeconds: 1, maxDelaySeconds: 1, windowSeconds: 60 },
  ip: { freeFailures: 1000, initialDelaySeconds: 1, maxDelaySeconds: 1, windowSeconds: 60 },
};

const DELAYS: ThrottleSettings = {
  account: { freeFailures: 3, initialDelaySeconds: 1, maxDelaySeconds: 900, windowSeconds: 3600 },
  ip: { freeFailures: 50, initialDelaySeconds: 1, maxDelaySeconds: 900, windowSeconds: 900 },
};

const RELAXED_LOGIN: RateLimitOverrides = {
  'POST /v1/auth/login': {
    perIp: { max: 1000, windowSeconds: 60 },
    perAccount: { account: 'email', max: 1000, windowSeconds: 60 },
  },
};

let limits: IdentityTestApp;
let delays: IdentityTestApp;
let ipCounter = 0;

beforeAll(async () => {
  [limits, delays] = await Promise.all([
    createIdentityTestApp({}, { rateLimits: LIMITS, throttle: NO_DELAYS }),
    // Request limits out of the way of the delays.
    createIdentityTestApp({}, { rateLimits: RELAXED_LOGIN, throttle: DELAYS }),
  ]);
});
afterAll(async () => {
  await Promise.all([limits.close(), delays.close()]);
});

/** A client address of its own, so tests do not add up on one IP counter. */
function nextIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

function logIn(app: App, email: string, password: string, ip: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
}

/** A second API instance on the same database and Redis (its own connection and key prefix). */
async function startSecondInstance(
  t: IdentityTestApp,
  options: { rateLimits?: RateLimitOverrides; throttle: ThrottleSettings },
) {
  const redis: Redis = t.redis.duplicate();
  const app = await buildApp(
    createTestConfig({
      DATABASE_URL: t.database.url,
      REDIS_URL: LOCAL_REDIS_URL,
      PUBLIC_URL: TEST_PUBLIC_URL,
    }),
    { database: t.database, redis, logger, ...options },
  );
  app.authDeps.now = t.clock.now;
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      redis.disconnect();
    },
  };
}

describe('request rate limits', () => {
  it('answers 429 problem+json with Retry-After past the per-IP limit', async () => {
    const ip = nextIp();
    for (let index = 0; index < 6; index += 1) {
      const response = await logIn(limits.app, `ip${index}@example.com`, WRONG, ip);
      expect(response.statusCode).toBe(401);
    }

    const refused = await logIn(limits.app, 'ip-last@example.com', WRONG, ip);
    const unauthorized = await logIn(limits.app, 'ip-last@example.com', WRONG, nextIp());

    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      reason: 'too_many_requests',
      retryAfterSeconds: retryAfter,
      instance: '/v1/auth/login',
    });
    // The same problem+json members as every other error.
    expect(Object.keys(refused.json()).sort()).toEqual(
      expect.arrayContaining(Object.keys(unauthorized.json()).sort()),
    );
  });

  it('limits an account however many addresses the attempts come from', async () => {
    for (let index = 0; index < 3; index += 1) {
      const response = await logIn(limits.app, 'target@example.com', WRONG, nextIp());
      expect(response.statusCode).toBe(401);
    }

    // The address is counted as normalised, whatever its case.
    const refused = await logIn(limits.app, ' TARGET@example.com', WRONG, nextIp());
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('leaves another account on the same IP alone when one account is limited', async () => {
    const ip = nextIp();
    await signUpAndLogIn(limits, 'neighbour@example.com');
    for (let index = 0; index < 3; index += 1) {
      await logIn(limits.app, 'limited@example.com', WRONG, ip);
    }
    expect((await logIn(limits.app, 'limited@example.com', WRONG, ip)).statusCode).toBe(429);

    const other = await logIn(limits.app, 'neighbour@example.com', PASSWORD, ip);
    expect(other.statusCode).toBe(200);
  });

  it('limits a signed-in user per account on authenticated routes, from any address', async () => {
    const alice = await signUpAndLogIn(limits, 'alice-reauth@example.com');
    const bob = await signUpAndLogIn(limits, 'bob-reauth@example.com');
    const reauthenticate = (accessToken: string) =>
      limits.app.inject({
        method: 'POST',
        url: '/v1/auth/reauthenticate',
        payload: { password: WRONG },
        headers: bearer(accessToken),
        remoteAddress: nextIp(),
      });

    expect((await reauthenticate(alice.accessToken)).statusCode).toBe(400);
    expect((await reauthenticate(alice.accessToken)).statusCode).toBe(400);
    const refused = await reauthenticate(alice.accessToken);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await reauthenticate(bob.accessToken)).statusCode).toBe(400);
  });

  it('shares one counter between a GET route and its HEAD twin', async () => {
    const ip = nextIp();
    const url = '/v1/auth/oauth/unknown/start';
    const first = await limits.app.inject({ method: 'GET', url, remoteAddress: ip });
    const second = await limits.app.inject({ method: 'HEAD', url, remoteAddress: ip });

    expect(first.statusCode).not.toBe(429);
    expect(second.statusCode).toBe(429);
  });

  it('shares the counters between API instances on the same Redis', async () => {
    const second = await startSecondInstance(limits, { rateLimits: LIMITS, throttle: NO_DELAYS });
    try {
      for (let index = 0; index < 3; index += 1) {
        const response = await logIn(limits.app, 'shared@example.com', WRONG, nextIp());
        expect(response.statusCode).toBe(401);
      }

      const refused = await logIn(second.app, 'shared@example.com', WRONG, nextIp());
      expect(refused.statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });

  it('fails closed with 503 when Redis cannot count', async () => {
    const redis = new IORedis(UNREACHABLE_REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const app = await buildApp(
      createTestConfig({ DATABASE_URL: limits.database.url, PUBLIC_URL: TEST_PUBLIC_URL }),
      { database: limits.database, redis, logger },
    );
    try {
      await app.ready();
      const response = await logIn(app, 'offline@example.com', WRONG, nextIp());

      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await app.close();
      redis.disconnect();
    }
  });

  it('refuses to start when a limit names a route that does not exist', async () => {
    const app = await buildApp(
      createTestConfig({ DATABASE_URL: limits.database.url, PUBLIC_URL: TEST_PUBLIC_URL }),
      {
        database: limits.database,
        redis: limits.redis,
        logger,
        rateLimits: {
          'POST /v1/auth/log-in': { perIp: { max: 1, windowSeconds: 1 } },
        } as RateLimitOverrides,
      },
    );
    try {
      await expect(app.ready()).rejects.toThrow(/POST \/v1\/auth\/log-in/);
    } finally {
      await app.close();
    }
  });
});

describe('progressive delays after failed logins', () => {
  it('grows the delay with each failure and resets it after a success', async () => {
    await signUpAndLogIn(delays, 'slow@example.com');
    for (let index = 0; index < 3; index += 1) {
      expect((await logIn(delays.app, 'slow@example.com', WRONG, nextIp())).statusCode).toBe(401);
    }

    const waits: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      expect((await logIn(delays.app, 'slow@example.com', WRONG, nextIp())).statusCode).toBe(401);
      // Even the right password is not checked during the delay.
      const refused = await logIn(delays.app, 'slow@example.com', PASSWORD, nextIp());
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'too_many_failures' });
      waits.push(refused.headers['retry-after'] as string);
      delays.clock.advance(Number(refused.headers['retry-after']));
    }
    expect(waits).toEqual(['1', '2', '4']);

    expect((await logIn(delays.app, 'slow@example.com', PASSWORD, nextIp())).statusCode).toBe(200);
    // A fresh start: the free failures are back.
    for (let index = 0; index < 3; index += 1) {
      expect((await logIn(delays.app, 'slow@example.com', WRONG, nextIp())).statusCode).toBe(401);
    }
  });

  it('expires the counters, so a victim is never locked out for good', async () => {
    await signUpAndLogIn(delays, 'victim@example.com');
    // An attacker who keeps guessing, each time as soon as the delay allows.
    for (let index = 0; index < 12; index += 1) {
      delays.clock.advance(DELAYS.account.maxDelaySeconds);
      await logIn(delays.app, 'victim@example.com', WRONG, nextIp());
    }
    expect((await logIn(delays.app, 'victim@example.com', PASSWORD, nextIp())).statusCode).toBe(
      429,
    );

    delays.clock.advance(DELAYS.account.windowSeconds);
    expect((await logIn(delays.app, 'victim@example.com', PASSWORD, nextIp())).statusCode).toBe(
      200,
    );
  });

  it('delays the account on every API instance', async () => {
    const second = await startSecondInstance(delays, {
      rateLimits: RELAXED_LOGIN,
      throttle: DELAYS,
    });
    try {
      for (let index = 0; index < 4; index += 1) {
        await logIn(delays.app, 'everywhere@example.com', WRONG, nextIp());
      }

      const refused = await logIn(second.app, 'everywhere@example.com', WRONG, nextIp());
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ reason: 'too_many_failures' });
    } finally {
      await second.close();
    }
  });
});
