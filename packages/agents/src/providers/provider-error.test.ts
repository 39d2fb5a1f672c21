import { describe, expect, it } from 'vitest';
import {
  kindForStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfterMs,
  ProviderError,
} from './provider-error';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(
      parseRetryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now),
    ).toBe(30_000);
  });

  it('returns undefined for missing or unparseable values, and clamps the rest', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '86400' }), now)).toBe(
      MAX_RETRY_AFTER_MS,
    );
    expect(
      parseRetryAfterMs(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now),
    ).toBe(0);
  });
});

describe('kindForStatus', () => {
  it.each([
    [429, 'rate_limited'],
    [408, 'transient'],
    [409, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
    [529, 'transient'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
  ])('classifies %i as %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe('ProviderError', () => {
  it('tells retryable kinds apart', () => {
    expect(new ProviderError('transient', 'openai', 'x').isRetryable).toBe(true);
    expect(new ProviderError('rate_limited', 'openai', 'x').isRetryable).toBe(true);
    expect(new ProviderError('permanent', 'openai', 'x').isRetryable).toBe(false);
    expect(new ProviderError('aborted', 'openai', 'x').isRetryable).toBe(false);
  });
});
