import type { z } from 'zod';
import { ApiError, toApiError, toNetworkError } from './api-error';
import { CSRF_COOKIE, CSRF_HEADER, readCookie } from './cookies';

/** Same-origin prefix of the api (Next rewrites `/api/*` to the api server). */
const API_BASE_PATH = '/api/v1';
const REFRESH_PATH = '/auth/refresh';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type ApiRequestOptions<T> = {
  method?: HttpMethod;
  /** Sent as JSON. Leave undefined for requests without a body. */
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Validates a successful answer; without it the parsed JSON is returned as `unknown`. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /**
   * On a 401, refresh the session once and retry (default true). Off for credential checks such
   * as login, where a 401 means "wrong password", not "access token expired".
   */
  refreshOnUnauthorized?: boolean;
};

export type ApiClient = {
  request<T = unknown>(path: string, options?: ApiRequestOptions<T>): Promise<T>;
};

export type ApiClientOptions = {
  fetchFn?: typeof fetch;
  /** Returns the current cookies (`document.cookie` in the browser). */
  readCookies?: () => string;
  basePath?: string;
};

/** 401s that a refreshed access token cannot fix. */
const FINAL_UNAUTHORIZED_REASONS = new Set(['reauthentication_required']);

/**
 * Fetch wrapper for the api: same-origin, cookies included, the CSRF header on unsafe methods,
 * problem+json errors as `ApiError`, and one retry after `POST /auth/refresh` on a 401.
 * Concurrent 401s share one refresh.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const fetchFn = options.fetchFn ?? ((input, init) => fetch(input, init));
  const readCookies = options.readCookies ?? (() => document.cookie);
  const basePath = options.basePath ?? API_BASE_PATH;
  let refreshing: Promise<boolean> | null = null;

  async function send(path: string, method: HttpMethod, init: SendInit): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (!SAFE_METHODS.has(method)) {
      const csrf = readCookie(readCookies(), CSRF_COOKIE);
      if (csrf !== null) headers[CSRF_HEADER] = csrf;
    }
    try {
      return await fetchFn(buildUrl(basePath, path, init.query), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: 'include',
        cache: 'no-store',
        signal: init.signal,
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw toNetworkError(error);
    }
  }

  function refreshSession(): Promise<boolean> {
    // No body: the api then uses the refresh cookie (and checks the CSRF header).
    refreshing ??= send(REFRESH_PATH, 'POST', {})
      .then((response) => response.ok)
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  async function request<T>(path: string, requestOptions: ApiRequestOptions<T> = {}): Promise<T> {
    const method = requestOptions.method ?? 'GET';
    const init: SendInit = {
      body: requestOptions.body,
      query: requestOptions.query,
      signal: requestOptions.signal,
    };
    let response = await send(path, method, init);
    if (response.status === 401 && (requestOptions.refreshOnUnauthorized ?? true)) {
      const body = await readBody(response.clone());
      const first = toApiError(401, body, response.headers);
      if (FINAL_UNAUTHORIZED_REASONS.has(first.reason ?? '')) throw first;
      if (!(await refreshSession())) throw first;
      response = await send(path, method, init);
    }
    const body = await readBody(response);
    if (!response.ok) throw toApiError(response.status, body, response.headers);
    if (!requestOptions.schema) return body as T;
    const parsed = requestOptions.schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError({
        status: response.status,
        code: 'BAD_RESPONSE',
        message: 'The server sent an answer this page does not understand. Reload and try again.',
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  return { request };
}

type SendInit = {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
};

function buildUrl(
  basePath: string,
  path: string,
  query: Record<string, string | number | undefined> | undefined,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(key, String(value));
  }
  const suffix = search.size > 0 ? `?${search.toString()}` : '';
  return `${basePath}${path}${suffix}`;
}

/** The answer's JSON, or null for an empty or non-JSON body (204, a proxy's HTML error page). */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError'
  );
}

/** The browser's client. Created lazily so importing this module on the server is harmless. */
let browserClient: ApiClient | undefined;

export function getApiClient(): ApiClient {
  browserClient ??= createApiClient();
  return browserClient;
}
