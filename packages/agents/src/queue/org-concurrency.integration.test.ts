import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '@switchyard/shared';
import { TEST_REDIS_URL } from '../engine/testing/engine-harness';
import { createOrgConcurrencyLimiter } from './org-concurrency';

describe('org concurrency limiter', () => {
  let redis: Redis;
  const keyPrefix = `test-${randomUUID()}:`;

  beforeAll(() => {
    redis = createRedis(TEST_REDIS_URL, { name: 'org-concurrency-test' });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('grants up to the limit per org, renews a held slot, and frees it on release', async () => {
    const limiter = createOrgConcurrencyLimiter({ redis, limit: 2, leaseMs: 60_000, keyPrefix });
    expect(await limiter.tryAcquire('org-a', 'step-1')).toBe(true);
    expect(await limiter.tryAcquire('org-a', 'step-2')).toBe(true);
    expect(await limiter.tryAcquire('org-a', 'step-3')).toBe(false);
    // A holder asking again keeps its slot; another org is not affected.
    expect(await limiter.tryAcquire('org-a', 'step-1')).toBe(true);
    expect(await limiter.tryAcquire('org-b', 'step-4')).toBe(true);
    await limiter.release('org-a', 'step-1');
    expect(await limiter.tryAcquire('org-a', 'step-3')).toBe(true);
  });

  it('loads its script again when the server has forgotten it (a restart, SCRIPT FLUSH)', async () => {
    // A server that does not know the script answers EVALSHA with NOSCRIPT, as after a
    // restart. (Flushing the real server's scripts would break other suites running alongside.)
    const calls: string[] = [];
    const forgetful = {
      evalsha: (...args: unknown[]) => {
        calls.push('evalsha');
        return calls.filter((call) => call === 'eval').length > 0
          ? (redis.evalsha as (...rest: unknown[]) => Promise<unknown>)(...args)
          : Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.'));
      },
      eval: (...args: unknown[]) => {
        calls.push('eval');
        return (redis.eval as (...rest: unknown[]) => Promise<unknown>)(...args);
      },
    } as unknown as Redis;
    const limiter = createOrgConcurrencyLimiter({
      redis: forgetful,
      limit: 1,
      leaseMs: 60_000,
      keyPrefix,
    });
    expect(await limiter.tryAcquire('org-c', 'step-1')).toBe(true);
    expect(await limiter.tryAcquire('org-c', 'step-2')).toBe(false);
    expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
  });
});
