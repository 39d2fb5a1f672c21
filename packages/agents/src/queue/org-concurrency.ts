import { createHash } from 'node:crypto';
import type { Redis } from '@switchyard/shared';

/**
 * Caps how many steps of one org execute at once, across every worker, so one org's flood cannot
 * starve the others. A slot is a member of a Redis sorted set scored by its expiry: a worker that
 * dies loses its slots when their lease runs out, without anyone cleaning up.
 */
export type OrgConcurrencyLimiter = {
  /** Takes (or renews) a slot for `holderId`; false when the org is at its limit. */
  tryAcquire(orgId: string, holderId: string): Promise<boolean>;
  /** Extends a held slot's lease. */
  refresh(orgId: string, holderId: string): Promise<void>;
  release(orgId: string, holderId: string): Promise<void>;
};

export type OrgConcurrencyOptions = {
  redis: Redis;
  /** Steps of one org running at once; 0 or less means unlimited. */
  limit: number;
  /** A slot not refreshed for this long is free again. */
  leaseMs: number;
  /** Prepended to the Redis key (tests use a unique one). */
  keyPrefix?: string;
};

// KEYS: slots. ARGV: limit, lease ms, holder. Redis' clock, so workers' clocks need not agree.
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return 1
end
return 0`;

const REFRESH = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = tonumber(ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
end
return 0`;

/**
 * Runs a Lua script by its SHA1 (EVALSHA: the body is not sent, nor hashed by Redis, on every
 * step), loading it with EVAL the first time a server does not know it (NOSCRIPT).
 */
function luaScript(body: string) {
  const sha = createHash('sha1').update(body).digest('hex');
  return async (redis: Redis, key: string, ...args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(body, 1, key, ...args);
    }
  };
}

const acquire = luaScript(ACQUIRE);
const refresh = luaScript(REFRESH);

export function createOrgConcurrencyLimiter(options: OrgConcurrencyOptions): OrgConcurrencyLimiter {
  const key = (orgId: string) => `${options.keyPrefix ?? ''}org-concurrency:${orgId}`;
  const unlimited = options.limit <= 0;
  return {
    async tryAcquire(orgId, holderId) {
      if (unlimited) return true;
      const granted = await acquire(
        options.redis,
        key(orgId),
        options.limit,
        options.leaseMs,
        holderId,
      );
      return Number(granted) === 1;
    },
    async refresh(orgId, holderId) {
      if (unlimited) return;
      await refresh(options.redis, key(orgId), options.leaseMs, holderId);
    },
    async release(orgId, holderId) {
      if (unlimited) return;
      await options.redis.zrem(key(orgId), holderId);
    },
  };
}
