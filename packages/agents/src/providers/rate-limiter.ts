import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MAX_RETRY_AFTER_MS } from './provider-error';

/** Options for {@link createRateLimiter}. */
export type RateLimiterOptions = {
  redis: Redis;
  /** Provider id, e.g. `openai`. */
  provider: string;
  /** The API key the calls use; only its hash reaches Redis. */
  apiKey?: string;
  /** For keyless servers (Ollama, vLLM): keeps two servers' limits apart. */
  baseUrl?: string;
  /** Prepended to every Redis key (tests use a unique one). */
  keyPrefix?: string;
  /** Calls allowed per minute across all workers; unlimited when omitted. */
  requestsPerMinute?: number;
  /** Backoff after a 429 that carried no Retry-After, ms (default 5 000). */
  defaultBackoffMs?: number;
};

export type RateLimitDecision = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * One limiter shared by every worker through Redis, per provider and API key. Before a call,
 * `acquire`; when it is refused, delay the job by `retryAfterMs` instead of calling. After a 429,
 * `reportRateLimited` backs every worker off until the provider's Retry-After.
 */
export type RateLimiter = {
  /** The Redis key holding the backoff: `ratelimit:<provider>:<keyHash>`. */
  readonly key: string;
  acquire(): Promise<RateLimitDecision>;
  /** Extends (never shortens) the shared backoff to `retryAfterMs` from now. */
  reportRateLimited(retryAfterMs?: number): Promise<void>;
  /** Milliseconds left of the shared backoff; 0 when there is none. */
  getBackoffMs(): Promise<number>;
};

/** A short, non-reversible tag for a credential, safe to put in keys and logs. */
export function hashCredential(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

// KEYS: backoff, window. ARGV: requests per minute (0 = unlimited). Returns ms to wait, 0 = go.
const ACQUIRE = `
local backoff = redis.call('PTTL', KEYS[1])
if backoff > 0 then return backoff end
local limit = tonumber(ARGV[1])
if limit > 0 then
  local count = redis.call('INCR', KEYS[2])
  if count == 1 then redis.call('PEXPIRE', KEYS[2], 60000) end
  if count > limit then
    local window = redis.call('PTTL', KEYS[2])
    if window <= 0 then return 1 end
    return window
  end
end
return 0`;

// KEYS: backoff. ARGV: ms. Sets the backoff unless a longer one is already running.
const REPORT = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 0`;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { redis } = options;
  const credential = options.apiKey ?? options.baseUrl ?? 'default';
  const key = `${options.keyPrefix ?? ''}ratelimit:${options.provider}:${hashCredential(credential)}`;
  const windowKey = `${key}:window`;
  const limit = Math.max(0, Math.floor(options.requestsPerMinute ?? 0));

  return {
    key,
    async acquire() {
      const wait = Number(await redis.eval(ACQUIRE, 2, key, windowKey, limit));
      return wait > 0 ? { granted: false, retryAfterMs: wait } : { granted: true };
    },
    async reportRateLimited(retryAfterMs?: number) {
      const ms = Math.min(
        Math.max(Math.ceil(retryAfterMs ?? options.defaultBackoffMs ?? 5000), 1),
        MAX_RETRY_AFTER_MS,
      );
      await redis.eval(REPORT, 1, key, ms);
    },
    async getBackoffMs() {
      return Math.max(await redis.pttl(key), 0);
    },
  };
}
