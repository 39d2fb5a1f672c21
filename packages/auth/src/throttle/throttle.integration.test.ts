import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError, type Redis } from '@switchyard/shared';
import type { ThrottleSettings } from '../config';
import {
  closeTestRedis,
  createTestAuthConfig,
  createTestClock,
  createTestRedis,
  type TestClock,
} from '../testing';
import { assertNotThrottled } from './assert-not-throttled';
import { clearFailedAttempts } from './clear-failed-attempts';
import { recordFailedAttempt } from './record-failed-attempt';
import { throttleKey } from './throttle-keys';
import { passwordSubjects, type ThrottleSubject } from './throttle-subjects';

const SETTINGS: ThrottleSettings = {
  account: { freeFailures: 3, initialDelaySeconds: 1, maxDelaySeconds: 8, windowSeconds: 600 },
  ip: { freeFailures: 6, initialDelaySeconds: 2, maxDelaySeconds: 60, windowSeconds: 300 },
};

const redis: Redis = createTestRedis();
let clock: TestClock;
let deps: { redis: Redis; config: ReturnType<typeof createTestAuthConfig>; now: () => Date };
let sequence = 0;

beforeEach(() => {
  clock = createTestClock(new Date('2030-01-01T00:00:00Z'));
  deps = { redis, config: createTestAuthConfig({ throttle: SETTINGS }), now: clock.now };
});
afterAll(async () => {
  await closeTestRedis(redis);
});

/** Fresh subjects per test: a new address and a new IP. */
function freshSubjects(): ThrottleSubject[] {
  sequence += 1;
  return passwordSubjects({ email: `user${sequence}@example.com`, ip: `198.51.100.${sequence}` });
}

async function fail(subjects: ThrottleSubject[], times = 1) {
  let last: Awaited<ReturnType<typeof recordFailedAttempt>> = [];
  for (let index = 0; index < times; index += 1) {
    last = await recordFailedAttempt({ subjects }, deps);
  }
  return last;
}

async function refusal(subjects: ThrottleSubject[]): Promise<AppError | null> {
  try {
    await assertNotThrottled({ subjects }, deps);
    return null;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return error;
  }
}

describe('progressive delays', () => {
  it('lets the free failures through, then delays 1 s, 2 s, 4 s, capped at the maximum', async () => {
    const subjects = freshSubjects();
    const account = subjects.slice(0, 1);
    await fail(account, 3);
    expect(await refusal(account)).toBeNull();

    const delays: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const [attempt] = await fail(account);
      delays.push(((attempt?.blockedUntil?.getTime() ?? 0) - clock.now().getTime()) / 1000);
      clock.advance(delays[delays.length - 1] ?? 0);
    }

    expect(delays).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('answers 429 with Retry-After while a delay runs, and nothing once it is over', async () => {
    const subjects = freshSubjects().slice(0, 1);
    await fail(subjects, 5);

    const error = await refusal(subjects);
    expect(error?.code).toBe('RATE_LIMITED');
    expect(error?.headers).toEqual({ 'retry-after': '2' });
    expect(error?.details).toMatchObject({ reason: 'too_many_failures', retryAfterSeconds: 2 });
    clock.advance(1);
    expect((await refusal(subjects))?.headers).toEqual({ 'retry-after': '1' });
    clock.advance(1);
    expect(await refusal(subjects)).toBeNull();
  });

  it('applies the IP settings to the IP subject', async () => {
    const [, ip] = freshSubjects();
    if (!ip) throw new Error('expected an IP subject');
    const attempts = await fail([ip], 7);

    expect(attempts[0]?.failures).toBe(7);
    expect(attempts[0]?.blockedUntil?.getTime()).toBe(clock.now().getTime() + 2000);
  });

  it('refuses when any one subject is delayed', async () => {
    const [account, ip] = freshSubjects();
    if (!account || !ip) throw new Error('expected two subjects');
    await fail([ip], 7);

    expect((await refusal([account, ip]))?.code).toBe('RATE_LIMITED');
    expect(await refusal([account])).toBeNull();
  });

  it('counts concurrent failures exactly', async () => {
    const subjects = freshSubjects().slice(0, 1);
    await Promise.all(Array.from({ length: 10 }, () => recordFailedAttempt({ subjects }, deps)));
    const [next] = await fail(subjects);

    expect(next?.failures).toBe(11);
  });
});

describe('never a lockout', () => {
  it('forgets failures a window after the last one', async () => {
    const subjects = freshSubjects().slice(0, 1);
    await fail(subjects, 6);
    clock.advance(SETTINGS.account.windowSeconds);

    expect(await refusal(subjects)).toBeNull();
    const [next] = await fail(subjects);
    expect(next).toMatchObject({ failures: 1, blockedUntil: null });
  });

  it('lets every counter expire in Redis: no key lives longer than its window or delay', async () => {
    const subjects = freshSubjects();
    await fail(subjects, 4);
    const [accountTtl, ipTtl] = await Promise.all(
      subjects.map((subject) => redis.pttl(throttleKey(subject))),
    );

    expect(accountTtl).toBeGreaterThan(0);
    expect(accountTtl).toBeLessThanOrEqual(SETTINGS.account.windowSeconds * 1000);
    expect(ipTtl).toBeGreaterThan(0);
    expect(ipTtl).toBeLessThanOrEqual(SETTINGS.ip.windowSeconds * 1000);
  });

  it('keeps the key while a delay longer than the window runs', async () => {
    const subjects = freshSubjects().slice(0, 1);
    const [subject] = subjects;
    if (!subject) throw new Error('expected a subject');
    deps.config = createTestAuthConfig({
      throttle: {
        ...SETTINGS,
        account: {
          freeFailures: 0,
          initialDelaySeconds: 30,
          maxDelaySeconds: 30,
          windowSeconds: 1,
        },
      },
    });
    await fail(subjects);
    const ttl = await redis.pttl(throttleKey(subject));

    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect((await refusal(subjects))?.headers).toEqual({ 'retry-after': '30' });
    clock.advance(30);
    expect(await refusal(subjects)).toBeNull();
  });

  it('clears the account on success but keeps the IP counter', async () => {
    const subjects = freshSubjects();
    await fail(subjects, 7);
    await clearFailedAttempts({ subjects }, deps);

    const [account, ip] = await fail(subjects);
    expect(account).toMatchObject({ failures: 1, blockedUntil: null });
    expect(ip?.failures).toBe(8);
  });
});
