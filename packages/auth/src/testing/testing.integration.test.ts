import { describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_URL, Redis } from '@switchyard/shared';
import { closeTestRedis, createTestAuthConfig, createTestClock, createTestRedis } from './index';

describe('createTestAuthConfig', () => {
  it('uses the production defaults and applies overrides', () => {
    const config = createTestAuthConfig({ accessTokenTtlSeconds: 60 });
    expect(config.accessTokenTtlSeconds).toBe(60);
    expect(config.sessionIdleTimeoutSeconds).toBe(43_200);
    expect(config.issuer).toBe(config.publicUrl);
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
  });
});

describe('createTestRedis / closeTestRedis', () => {
  it('keeps keys under a unique prefix and deletes them on close', async () => {
    const a = createTestRedis();
    const b = createTestRedis();
    expect(a.options.keyPrefix).not.toBe(b.options.keyPrefix);
    await a.set('k', '1');
    expect(await b.get('k')).toBeNull();
    const prefix = a.options.keyPrefix ?? '';
    await closeTestRedis(a);
    await closeTestRedis(b);
    const raw = new Redis(process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL);
    try {
      expect(await raw.exists(`${prefix}k`)).toBe(0);
    } finally {
      raw.disconnect();
    }
  });
});

describe('createTestClock', () => {
  it('advances only when told to', () => {
    const clock = createTestClock(new Date('2025-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    clock.advance(90);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:01:30.000Z');
  });
});
