import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error';
import { createApiClient } from './client';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };
type Route = (call: Call) => Response;

/** A fetch stand-in that records each request and answers with the next route in line. */
function createFakeFetch(routes: Route[]) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body,
    };
    expect(init?.credentials).toBe('include');
    calls.push(call);
    const route = routes.shift();
    if (!route) throw new Error(`unexpected request ${call.method} ${call.url}`);
    return route(call);
  };
  return { fetchFn, calls };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

const problem = (status: number, body: Record<string, unknown>) => () =>
  new Response(JSON.stringify({ status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

const COOKIES = 'theme=dark; __Host-sy_csrf=csrf%2Dvalue; other=1';

describe('createApiClient', () => {
  it('sends same-origin /api/v1 requests with the query string and parses the answer', async () => {
    const { fetchFn, calls } = createFakeFetch([json(200, { value: 42, extra: true })]);
    const client = createApiClient({ fetchFn, readCookies: () => COOKIES });

    const result = await client.request('/things', {
      query: { limit: 5, cursor: undefined },
      schema: z.object({ value: z.number() }),
    });

    expect(result).toEqual({ value: 42 });
    expect(calls[0]?.url).toBe('/api/v1/things?limit=5');
    expect(calls[0]?.method).toBe('GET');
  });

  it('adds the CSRF header from the __Host-sy_csrf cookie on unsafe methods only', async () => {
    const { fetchFn, calls } = createFakeFetch([json(200, {}), json(200, {}), json(200, {})]);
    const client = createApiClient({ fetchFn, readCookies: () => COOKIES });

    await client.request('/things', { method: 'POST', body: { name: 'a' } });
    await client.request('/things/1', { method: 'DELETE' });
    await client.request('/things');

    expect(calls[0]?.headers['x-csrf-token']).toBe('csrf-value');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.body).toEqual({ name: 'a' });
    expect(calls[1]?.headers['x-csrf-token']).toBe('csrf-value');
    // No body, so no JSON content type (the api refuses an empty JSON body).
    expect(calls[1]?.headers['content-type']).toBeUndefined();
    expect(calls[2]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('refreshes the session once on a 401 and retries the request', async () => {
    const { fetchFn, calls } = createFakeFetch([
      problem(401, { code: 'UNAUTHENTICATED', detail: 'Access token expired.' }),
      json(200, {}),
      json(200, { ok: true }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => COOKIES });

    expect(await client.request('/me')).toEqual({ ok: true });
    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/v1/me',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/me',
    ]);
    expect(calls[1]?.headers['x-csrf-token']).toBe('csrf-value');
  });

  it('gives up with the first 401 when the refresh is refused, without looping', async () => {
    const { fetchFn, calls } = createFakeFetch([
      problem(401, { code: 'UNAUTHENTICATED', detail: 'Log in first.' }),
      problem(401, { code: 'UNAUTHENTICATED', detail: 'Refresh token expired.' }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    const error = await client.request('/me').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'Log in first.' });
    expect(calls).toHaveLength(2);
  });

  it('retries only once when the retried request is refused again', async () => {
    const { fetchFn, calls } = createFakeFetch([
      problem(401, { code: 'UNAUTHENTICATED' }),
      json(200, {}),
      problem(401, { code: 'UNAUTHENTICATED', detail: 'Session revoked.' }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(client.request('/me')).rejects.toMatchObject({ message: 'Session revoked.' });
    expect(calls).toHaveLength(3);
  });

  it('shares one refresh between requests that fail at the same time', async () => {
    let refreshes = 0;
    let meCalls = 0;
    const fetchFn: typeof fetch = async (input) => {
      const url = String(input);
      if (url.endsWith('/auth/refresh')) {
        refreshes += 1;
        return json(200, {})();
      }
      meCalls += 1;
      return meCalls <= 2 ? problem(401, { code: 'UNAUTHENTICATED' })() : json(200, { n: 1 })();
    };
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    const results = await Promise.all([client.request('/a'), client.request('/b')]);

    expect(results).toEqual([{ n: 1 }, { n: 1 }]);
    expect(refreshes).toBe(1);
  });

  it('does not refresh when asked not to, as for a login with a wrong password', async () => {
    const { fetchFn, calls } = createFakeFetch([
      problem(401, { code: 'UNAUTHENTICATED', detail: 'Wrong email or password.' }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(
      client.request('/auth/login', { method: 'POST', body: {}, refreshOnUnauthorized: false }),
    ).rejects.toMatchObject({ message: 'Wrong email or password.' });
    expect(calls).toHaveLength(1);
  });

  it('does not refresh when the api asks to re-authenticate', async () => {
    const { fetchFn, calls } = createFakeFetch([
      problem(401, { code: 'UNAUTHENTICATED', reason: 'reauthentication_required' }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(client.request('/me/two-factor/setup', { method: 'POST' })).rejects.toMatchObject({
      status: 401,
      reason: 'reauthentication_required',
    });
    expect(calls).toHaveLength(1);
  });

  it('maps a validation problem to field errors', async () => {
    const { fetchFn } = createFakeFetch([
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'The request is not valid.',
        errors: [{ path: 'body.password', message: 'is too common' }],
      }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(
      client.request('/auth/signup', { method: 'POST', body: {} }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: 'body.password', message: 'is too common' }],
    });
  });

  it('reads Retry-After from a 429', async () => {
    const { fetchFn } = createFakeFetch([
      json(429, { code: 'RATE_LIMITED', detail: 'Slow down.' }, { 'retry-after': '30' }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(client.request('/auth/login', { method: 'POST' })).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 30,
    });
  });

  it('reports a refused connection as a network error with a readable message', async () => {
    const fetchFn: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(client.request('/me')).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK',
      message: expect.stringContaining('Could not reach the server'),
    });
  });

  it('reports an answer of the wrong shape as BAD_RESPONSE instead of passing it on', async () => {
    const { fetchFn } = createFakeFetch([json(200, { value: 'not a number' })]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(
      client.request('/things', { schema: z.object({ value: z.number() }) }),
    ).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('returns null for an empty 204 answer', async () => {
    const { fetchFn } = createFakeFetch([() => new Response(null, { status: 204 })]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    expect(await client.request('/things/1', { method: 'DELETE' })).toBeNull();
  });

  it('gives a generic message for a proxy error page that is not problem+json', async () => {
    const { fetchFn } = createFakeFetch([
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    ]);
    const client = createApiClient({ fetchFn, readCookies: () => '' });

    await expect(client.request('/me')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: 'Request failed (502).',
    });
  });
});
