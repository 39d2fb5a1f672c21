export type ProviderErrorKind = 'rate_limited' | 'transient' | 'permanent' | 'aborted';

export type ProviderErrorOptions = {
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** For `rate_limited`: how long the provider asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
};

/**
 * A failed model call, classified for the engine: `rate_limited` (back the whole queue off for
 * `retryAfterMs`), `transient` (retry with backoff), `permanent` (do not retry), `aborted`
 * (the caller's signal fired: cancel or timeout).
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly providerId: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ProviderErrorKind,
    providerId: string,
    message: string,
    options: ProviderErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerId = providerId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get isRetryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** Longest wait we honour from a Retry-After header; a larger value is clamped. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Milliseconds to wait from `retry-after-ms` or `retry-after` (delta seconds or an HTTP date);
 * undefined when neither is present or parseable.
 */
export function parseRetryAfterMs(
  headers: Pick<Headers, 'get'> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const clamp = (ms: number) => Math.min(Math.max(Math.ceil(ms), 0), MAX_RETRY_AFTER_MS);
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds.trim())) {
    return clamp(Number(milliseconds));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return clamp(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : clamp(date - now);
}

/** The error kind for an HTTP status from a model API. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  // 408 timeout, 409 conflict (lock contention), 5xx and Anthropic's 529 "overloaded".
  if (status === 408 || status === 409 || status >= 500) return 'transient';
  return 'permanent';
}
