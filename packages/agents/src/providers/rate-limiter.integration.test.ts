import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, hashCredential } from './rate-limiter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:${randomUUID()}:`;
let workerA: Redis;
let workerB: Redis;

beforeAll(() => {
  workerA = createRedis(REDIS_URL, { name: 'rate-limiter-test-a' });
  workerB = createRedis(REDIS_URL, { name: 'rate-limiter-test-b' });
});

afterAll(async () => {
  const keys = await workerA.keys(`${prefix}*`);
  if (keys.length > 0) await workerA.del(...keys);
  await workerA.quit();
  await workerB.quit();
});

const limiter = (redis: Redis, apiKey: string, extra: { requestsPerMinute?: number } = {}) =>
  createRateLimiter({ redis, provider: 'openai', apiKey, keyPrefix: prefix, ...extra });

describe('createRateLimiter', () => {
  it('keys the limiter by provider and a hash of the API key, never the key itself', () => {
    const { key } = limiter(workerA, 'sk-secret-1');
    expect(key).toBe(`${prefix}ratelimit:openai:${hashCredential('sk-secret-1')}`);
    expect(key).toMatch(/ratelimit:openai:[0-9a-f]{16}$/);
    expect(key).not.toContain('sk-secret-1');
  });

  it('grants calls while no backoff is set', async () => {
    const fresh = limiter(workerA, 'sk-fresh');
    expect(await fresh.acquire()).toEqual({ granted: true });
    expect(await fresh.getBackoffMs()).toBe(0);
  });

  it('backs off every worker using the same key after a 429, and no other key', async () => {
    await limiter(workerA, 'sk-shared').reportRateLimited(30_000);

    const otherWorker = limiter(workerB, 'sk-shared');
    const backoff = await otherWorker.getBackoffMs();
    expect(backoff).toBeGreaterThan(0);
    expect(backoff).toBeLessThanOrEqual(30_000);
    const decision = await otherWorker.acquire();
    expect(decision.granted).toBe(false);
    expect(decision.granted ? 0 : decision.retryAfterMs).toBeGreaterThan(0);

    expect(await limiter(workerB, 'sk-someone-else').acquire()).toEqual({ granted: true });
    const anthropic = createRateLimiter({
      redis: workerB,
      provider: 'anthropic',
      apiKey: 'sk-shared',
      keyPrefix: prefix,
    });
    expect(await anthropic.acquire()).toEqual({ granted: true });
  });

  it('never shortens a running backoff', async () => {
    const shared = limiter(workerA, 'sk-long');
    await shared.reportRateLimited(60_000);
    await limiter(workerB, 'sk-long').reportRateLimited(1);
    expect(await shared.getBackoffMs()).toBeGreaterThan(1000);
  });

  it('uses the default backoff when the 429 carried no Retry-After', async () => {
    const noHeader = createRateLimiter({
      redis: workerA,
      provider: 'openai',
      apiKey: 'sk-no-header',
      keyPrefix: prefix,
      defaultBackoffMs: 45_000,
    });
    await noHeader.reportRateLimited(undefined);
    const backoff = await noHeader.getBackoffMs();
    expect(backoff).toBeGreaterThan(5000);
    expect(backoff).toBeLessThanOrEqual(45_000);
  });

  it('shares a per-minute call budget across workers when one is set', async () => {
    const a = limiter(workerA, 'sk-rpm', { requestsPerMinute: 2 });
    const b = limiter(workerB, 'sk-rpm', { requestsPerMinute: 2 });
    expect(await a.acquire()).toEqual({ granted: true });
    expect(await b.acquire()).toEqual({ granted: true });
    const third = await a.acquire();
    expect(third.granted).toBe(false);
    expect(third.granted ? 0 : third.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps keyless servers apart by base URL', async () => {
    const ollama = (baseUrl: string) =>
      createRateLimiter({
        redis: workerA,
        provider: 'openai-compatible',
        baseUrl,
        keyPrefix: prefix,
      });
    await ollama('http://gpu-1:11434/v1').reportRateLimited(30_000);
    expect((await ollama('http://gpu-1:11434/v1').acquire()).granted).toBe(false);
    expect((await ollama('http://gpu-2:11434/v1').acquire()).granted).toBe(true);
  });
});
