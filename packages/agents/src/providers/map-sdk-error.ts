import { kindForStatus, parseRetryAfterMs, ProviderError } from './provider-error';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes every Stainless-generated SDK (openai, @anthropic-ai/sdk) exports. */
export type SdkErrorClasses = {
  APIError: ErrorClass;
  APIUserAbortError: ErrorClass;
  APIConnectionError: ErrorClass;
};

type ApiErrorShape = {
  status?: number;
  headers?: Pick<Headers, 'get'>;
  error?: unknown;
};

function errorType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const nested = 'error' in body ? body.error : body;
  if (typeof nested === 'object' && nested !== null && 'type' in nested) {
    return String(nested.type);
  }
  return undefined;
}

/**
 * Turns whatever an SDK call threw into a {@link ProviderError}. The caller's signal wins: a
 * call that failed after it fired is `aborted`, whatever the SDK reported.
 */
export function mapSdkError(
  providerId: string,
  error: unknown,
  signal: AbortSignal,
  classes: SdkErrorClasses,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted || error instanceof classes.APIUserAbortError) {
    return new ProviderError('aborted', providerId, 'The model call was aborted', { cause: error });
  }
  if (error instanceof classes.APIConnectionError) {
    return new ProviderError('transient', providerId, `Could not reach ${providerId}`, {
      cause: error,
    });
  }
  if (error instanceof classes.APIError) {
    const { status, headers, error: body } = error as ApiErrorShape;
    if (typeof status === 'number') {
      const kind = kindForStatus(status);
      return new ProviderError(kind, providerId, `${providerId} answered ${status}`, {
        status,
        cause: error,
        ...(kind === 'rate_limited' ? { retryAfterMs: parseRetryAfterMs(headers) } : {}),
      });
    }
    // An error event inside a stream: no status, only the error's type.
    const type = errorType(body);
    if (type === 'rate_limit_error') {
      return new ProviderError('rate_limited', providerId, `${providerId} rate limited the call`, {
        cause: error,
      });
    }
    const permanent = type === 'invalid_request_error' || type === 'authentication_error';
    return new ProviderError(
      permanent ? 'permanent' : 'transient',
      providerId,
      `${providerId} reported an error${type ? ` (${type})` : ''}`,
      { cause: error },
    );
  }
  return new ProviderError('permanent', providerId, `Unexpected ${providerId} failure`, {
    cause: error,
  });
}
