import { z } from 'zod';

/**
 * Turns the api's `GET /readyz` answer (or the lack of one) into what the status page shows.
 * Used on the server for the first render and in the browser for live refreshes, so it must stay
 * free of server-only imports.
 */

export type ReadinessState = 'ready' | 'not_ready' | 'unreachable' | 'unexpected';

type ReadinessCheck = {
  /** The key the api uses, e.g. `redis`. */
  name: string;
  label: string;
  isOk: boolean;
  /** The api's word for the check: `ok`, or what went wrong (`error`, `timeout`, ...). */
  status: string;
};

export type ReadinessView = {
  state: ReadinessState;
  title: string;
  detail: string | null;
  checks: ReadinessCheck[];
  /** HTTP status of the answer; null when there was none. */
  httpStatus: number | null;
  /** ISO timestamp of the check. */
  checkedAt: string;
};

export type FetchReadinessOptions = {
  /** Give up (and report the api unreachable) after this many milliseconds. */
  timeoutMs: number;
  /** Aborts the request early, e.g. when the component that asked unmounts. */
  signal?: AbortSignal;
  fetchFn?: typeof fetch;
  now?: () => Date;
};

const CHECK_LABELS: Record<string, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  migrations: 'Database migrations',
};
const CHECK_ORDER = Object.keys(CHECK_LABELS);

const checksSchema = z.record(z.string(), z.string());
const readyBodySchema = z.object({ status: z.literal('ready'), checks: checksSchema });
const problemBodySchema = z.object({
  title: z.string(),
  detail: z.string().optional(),
  checks: checksSchema.optional(),
});

// Statuses a proxy or load balancer answers with when the api behind it is down.
const GATEWAY_STATUSES = new Set([500, 502, 503, 504]);

/** Maps an HTTP answer from `/readyz` (body already parsed as JSON, or null) to a view. */
export function toReadinessView(answer: {
  httpStatus: number;
  body: unknown;
  checkedAt: string;
}): ReadinessView {
  const { httpStatus, body, checkedAt } = answer;
  const base = { httpStatus, checkedAt };

  const ready = readyBodySchema.safeParse(body);
  if (httpStatus === 200 && ready.success) {
    return {
      ...base,
      state: 'ready',
      title: 'All systems ready',
      detail: null,
      checks: toChecks(ready.data.checks),
    };
  }

  const problem = problemBodySchema.safeParse(body);
  if (problem.success) {
    return {
      ...base,
      state: httpStatus === 503 ? 'not_ready' : 'unexpected',
      title: httpStatus === 503 ? 'API is up but not ready' : 'Unexpected answer from the API',
      detail: problem.data.detail ?? problem.data.title,
      checks: toChecks(problem.data.checks ?? {}),
    };
  }

  if (GATEWAY_STATUSES.has(httpStatus)) {
    return {
      ...base,
      state: 'unreachable',
      title: 'API unreachable',
      detail: `The web server could not get an answer from the API (HTTP ${httpStatus}).`,
      checks: [],
    };
  }

  return {
    ...base,
    state: 'unexpected',
    title: 'Unexpected answer from the API',
    detail: `The API answered HTTP ${httpStatus} without a readiness report.`,
    checks: [],
  };
}

/** The view for a request that got no HTTP answer at all. */
function toUnreachableView(error: unknown, checkedAt: string, timeoutMs: number): ReadinessView {
  return {
    state: 'unreachable',
    title: 'API unreachable',
    detail: `No answer from the API: ${describeFetchError(error, timeoutMs)}.`,
    checks: [],
    httpStatus: null,
    checkedAt,
  };
}

/** Asks `url` (the api's `/readyz`, directly or through the `/api` proxy) and maps the answer. */
export async function fetchReadiness(
  url: string,
  { timeoutMs, signal, fetchFn = fetch, now = () => new Date() }: FetchReadinessOptions,
): Promise<ReadinessView> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(url, {
      cache: 'no-store',
      headers: { accept: 'application/json, application/problem+json' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    return toReadinessView({
      httpStatus: response.status,
      body: parseJson(text),
      checkedAt: now().toISOString(),
    });
  } catch (error) {
    return toUnreachableView(error, now().toISOString(), timeoutMs);
  }
}

/** `HH:MM:SS UTC`: the same on server and browser, so hydration never disagrees. */
export function formatCheckedAt(checkedAt: string): string {
  return `${checkedAt.slice(11, 19)} UTC`;
}

function toChecks(checks: Record<string, string>): ReadinessCheck[] {
  const rank = (name: string) => {
    const index = CHECK_ORDER.indexOf(name);
    return index === -1 ? CHECK_ORDER.length : index;
  };
  return Object.entries(checks)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, status]) => ({
      name,
      label: CHECK_LABELS[name] ?? name,
      isOk: status === 'ok',
      status,
    }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const ERROR_CODE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed without an answer',
};

function describeFetchError(error: unknown, timeoutMs: number): string {
  // Aborts reject with a DOMException, which is not an Error subclass in every runtime.
  const name = readStringProperty(error, 'name');
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (name === 'AbortError') return 'request cancelled';
  const cause = error instanceof Error ? error.cause : undefined;
  return ERROR_CODE_REASONS[readStringProperty(cause, 'code') ?? ''] ?? 'request failed';
}

function readStringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const property: unknown = (value as Record<string, unknown>)[key];
  return typeof property === 'string' ? property : undefined;
}
