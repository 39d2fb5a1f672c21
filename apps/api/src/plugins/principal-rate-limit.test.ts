import { describe, expect, it } from 'vitest';
import { createPrincipalRateLimiter, principalRateLimitedError } from './principal-rate-limit';

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createPrincipalRateLimiter', () => {
  it('allows the limit within a minute and refuses the next request with the wait left', () => {
    const time = clock();
    const limiter = createPrincipalRateLimiter({ limitPerMinute: 3, now: time.now });

    expect(limiter.take('user:a')).toEqual({ allowed: true, limit: 3, remaining: 2 });
    expect(limiter.take('user:a')).toEqual({ allowed: true, limit: 3, remaining: 1 });
    time.advance(15_500);
    expect(limiter.take('user:a')).toEqual({ allowed: true, limit: 3, remaining: 0 });
    expect(limiter.take('user:a')).toEqual({ allowed: false, limit: 3, retryAfterSeconds: 45 });
  });

  it('counts each principal separately', () => {
    const limiter = createPrincipalRateLimiter({ limitPerMinute: 1, now: clock().now });

    expect(limiter.take('user:a').allowed).toBe(true);
    expect(limiter.take('user:a').allowed).toBe(false);
    expect(limiter.take('user:b').allowed).toBe(true);
    expect(limiter.take('key:a').allowed).toBe(true);
  });

  it('starts a new window a minute after the first request of the last one', () => {
    const time = clock();
    const limiter = createPrincipalRateLimiter({ limitPerMinute: 1, now: time.now });

    limiter.take('user:a');
    time.advance(59_999);
    expect(limiter.take('user:a').allowed).toBe(false);
    time.advance(1);
    expect(limiter.take('user:a')).toEqual({ allowed: true, limit: 1, remaining: 0 });
  });

  it('forgets the stalest principal when full, keeping the others counted', () => {
    const time = clock();
    const limiter = createPrincipalRateLimiter({
      limitPerMinute: 1,
      maxPrincipals: 2,
      now: time.now,
    });

    limiter.take('user:a');
    time.advance(1000);
    limiter.take('user:b');
    limiter.take('user:c');

    expect(limiter.take('user:b').allowed).toBe(false);
    expect(limiter.take('user:c').allowed).toBe(false);
    expect(limiter.take('user:a').allowed).toBe(true);
  });
});

describe('principalRateLimitedError', () => {
  it('is a 429 with Retry-After and an exhausted RateLimit-Remaining', () => {
    const error = principalRateLimitedError(600, 12);

    expect(error.status).toBe(429);
    expect(error.details).toEqual({ reason: 'too_many_requests', retryAfterSeconds: 12 });
    expect(error.headers).toEqual({
      'retry-after': '12',
      'ratelimit-limit': '600',
      'ratelimit-remaining': '0',
    });
  });
});
