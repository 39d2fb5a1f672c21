import { rateLimitedError } from '@switchyard/auth';
import { AppError } from '@switchyard/shared';
import type { RequestAuth } from './auth-context';

const WINDOW_MS = 60_000;

/** Principals tracked at once; beyond it the one whose window started first is forgotten. */
const DEFAULT_MAX_PRINCIPALS = 10_000;

export type PrincipalRateLimitOptions = {
  /** Requests per principal per minute; 0 turns the limit off. */
  limitPerMinute: number;
  maxPrincipals?: number;
  /** Milliseconds since the epoch; `Date.now` unless a test injects a clock. */
  now?: () => number;
};

export type PrincipalRateLimitResult =
  | { allowed: true; limit: number; remaining: number }
  | { allowed: false; limit: number; retryAfterSeconds: number };

export type PrincipalRateLimiter = {
  /** Counts one request of `principal` and says whether it is within the limit. */
  take(principal: string): PrincipalRateLimitResult;
};

type Window = { startedAt: number; count: number };

/**
 * A fixed one-minute window per principal, in this process's memory.
 *
 * Why per instance: the Redis-backed limits of `rate-limits.ts` protect the expensive or abusable
 * endpoints (sign-in, e-mails, key creation) across all instances. This one only caps runaway
 * clients (a script in a loop, a leaked key) on every authenticated route, so it must not add a
 * network round trip to each request. With N instances behind a load balancer the effective limit
 * is N x `limitPerMinute`.
 *
 * The Map is kept in window-start order (a new window re-inserts its key), so when it is full the
 * first entry is the stalest one; forgetting it at worst restarts that principal's count.
 */
export function createPrincipalRateLimiter(
  options: PrincipalRateLimitOptions,
): PrincipalRateLimiter {
  const { limitPerMinute: limit } = options;
  const maxPrincipals = options.maxPrincipals ?? DEFAULT_MAX_PRINCIPALS;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();

  return {
    take(principal) {
      const time = now();
      const window = windows.get(principal);
      if (window && time - window.startedAt < WINDOW_MS) {
        if (window.count >= limit) {
          return {
            allowed: false,
            limit,
            retryAfterSeconds: Math.ceil((window.startedAt + WINDOW_MS - time) / 1000),
          };
        }
        window.count += 1;
        return { allowed: true, limit, remaining: limit - window.count };
      }
      if (window) {
        windows.delete(principal);
      } else if (windows.size >= maxPrincipals) {
        const stalest = windows.keys().next();
        if (!stalest.done) windows.delete(stalest.value);
      }
      windows.set(principal, { startedAt: time, count: 1 });
      return { allowed: true, limit, remaining: limit - 1 };
    },
  };
}

/** The key of the caller a request is counted against; null for anonymous requests. */
export function principalOf(auth: RequestAuth): string | null {
  switch (auth.kind) {
    case 'user':
      return `user:${auth.userId}`;
    case 'api_key':
      return `key:${auth.apiKeyId}`;
    case 'anonymous':
      return null;
  }
}

export const RATE_LIMIT_LIMIT_HEADER = 'ratelimit-limit';
export const RATE_LIMIT_REMAINING_HEADER = 'ratelimit-remaining';

/** The 429 of a principal over its limit: the body and `Retry-After` of the other 429s. */
export function principalRateLimitedError(limit: number, retryAfterSeconds: number): AppError {
  const base = rateLimitedError({ retryAfterSeconds, reason: 'too_many_requests' });
  return new AppError('RATE_LIMITED', {
    message: base.message,
    details: base.details,
    headers: {
      ...base.headers,
      [RATE_LIMIT_LIMIT_HEADER]: String(limit),
      [RATE_LIMIT_REMAINING_HEADER]: '0',
    },
  });
}
