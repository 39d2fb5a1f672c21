import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildApp, type App } from './app';
import { captureLogs, createTestConfig } from './testing/test-app';

const apps: App[] = [];
const PUBLIC_ROUTE = { config: { policy: { kind: 'public' as const } } };

async function startApp(env: Record<string, string> = {}) {
  const logs = captureLogs();
  const app = await buildApp(createTestConfig(env), { logger: logs.logger });
  apps.push(app);
  return { app, logs };
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function expectProblem(response: { headers: Record<string, unknown>; json: () => unknown }) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response.json() as Record<string, unknown>;
}

describe('GET /healthz', () => {
  it('answers 200 {status: ok} even when PostgreSQL and Redis are unreachable', async () => {
    // The test config points both at 127.0.0.1:1, where nothing listens: /healthz does no I/O.
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('problem+json errors', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/no/such/thing?x=1' });

    expect(response.statusCode).toBe(404);
    expect(expectProblem(response)).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: 'Not Found',
      instance: '/no/such/thing',
    });
  });

  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'DELETE', url: '/healthz' });

    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(expectProblem(response)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers 405 for a parametric route matched with the wrong method', async () => {
    const { app } = await startApp();
    app
      .withTypeProvider<ZodTypeProvider>()
      .put(
        '/test/items/:id',
        { ...PUBLIC_ROUTE, schema: { params: z.object({ id: z.string() }) } },
        async () => ({
          ok: true,
        }),
      );

    const response = await app.inject({ method: 'POST', url: '/test/items/42' });

    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('PUT');
  });

  it('answers a body in an unsupported content type with 415', async () => {
    const { app } = await startApp();
    app.post('/test/echo', PUBLIC_ROUTE, async (request) => ({ received: request.body }));

    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });

    expect(response.statusCode).toBe(415);
    expect(expectProblem(response)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers a body over BODY_LIMIT_BYTES with 413', async () => {
    const { app } = await startApp({ BODY_LIMIT_BYTES: '64' });
    app.post('/test/echo', PUBLIC_ROUTE, async (request) => ({ received: request.body }));

    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(100) }),
    });

    expect(response.statusCode).toBe(413);
    expect(expectProblem(response)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers malformed JSON with 400', async () => {
    const { app } = await startApp();
    app.post('/test/echo', PUBLIC_ROUTE, async (request) => ({ received: request.body }));

    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });

    expect(response.statusCode).toBe(400);
    expect(expectProblem(response)).toMatchObject({
      code: 'BAD_REQUEST',
      detail: 'The request body is not valid JSON.',
    });
  });

  it('answers a body failing its zod schema with 400 listing every failing field', async () => {
    const { app } = await startApp();
    app.withTypeProvider<ZodTypeProvider>().post(
      '/test/agents',
      {
        ...PUBLIC_ROUTE,
        schema: {
          body: z.object({
            name: z.string().min(3),
            settings: z.object({ temperature: z.number().max(2) }),
          }),
        },
      },
      async (request) => ({ name: request.body.name }),
    );

    const response = await app.inject({
      method: 'POST',
      url: '/test/agents',
      payload: { name: 'x', settings: { temperature: 7 } },
    });

    expect(response.statusCode).toBe(400);
    const problem = expectProblem(response);
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const errors = problem.errors as Array<{ path: string; message: string }>;
    expect(errors.map((error) => error.path).sort()).toEqual([
      'body.name',
      'body.settings.temperature',
    ]);
    expect(errors.every((error) => error.message.length > 0)).toBe(true);
  });

  it('names the query parameter that failed validation', async () => {
    const { app } = await startApp();
    app.withTypeProvider<ZodTypeProvider>().get(
      '/test/list',
      {
        ...PUBLIC_ROUTE,
        schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) },
      },
      async (request) => ({ limit: request.query.limit }),
    );

    const response = await app.inject({ method: 'GET', url: '/test/list?limit=500' });

    expect(response.statusCode).toBe(400);
    expect(expectProblem(response).errors).toEqual([
      { path: 'query.limit', message: expect.any(String) },
    ]);
  });

  it('answers a malformed URL with 400 problem+json before any route runs', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/%E0%A4%A' });

    expect(response.statusCode).toBe(400);
    expect(expectProblem(response)).toMatchObject({ code: 'BAD_REQUEST' });
    expect(response.headers['x-request-id']).toBeDefined();
  });

  it('answers an unexpected error with a generic 500 and logs the cause', async () => {
    const { app, logs } = await startApp();
    app.get('/test/boom', PUBLIC_ROUTE, async () => {
      throw new Error('connection to 10.1.2.3 failed: password=hunter2');
    });

    const response = await app.inject({ method: 'GET', url: '/test/boom' });

    expect(response.statusCode).toBe(500);
    const problem = expectProblem(response);
    expect(problem).toMatchObject({
      code: 'INTERNAL',
      detail: 'An unexpected error occurred.',
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('10.1.2.3');
    const logged = logs.lines().find((line) => line.msg === 'request failed');
    expect(JSON.stringify(logged)).toContain('connection to 10.1.2.3 failed');
  });
});

describe('request ids', () => {
  it('echoes a sane x-request-id and uses it in the request log', async () => {
    const { app, logs } = await startApp();

    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'edge-1234.abc' },
    });

    expect(response.headers['x-request-id']).toBe('edge-1234.abc');
    const line = logs.lines().find((entry) => entry.msg === 'request completed');
    expect(line).toMatchObject({ requestId: 'edge-1234.abc', statusCode: 200, path: '/healthz' });
  });

  it('replaces an x-request-id that is not a sane token with a generated id', async () => {
    const { app } = await startApp();

    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\twith "quotes"' },
    });

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates an id when none is sent and echoes it on error responses too', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/missing' });

    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers and CORS', () => {
  it('sets helmet security headers with a CSP for a JSON API, on errors too', async () => {
    const { app } = await startApp();

    for (const url of ['/healthz', '/no/such/route']) {
      const response = await app.inject({ method: 'GET', url });

      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('allows an origin from CORS_ORIGINS', async () => {
    const { app } = await startApp({ CORS_ORIGINS: 'https://app.example.com' });

    const response = await app.inject({
      method: 'OPTIONS',
      url: '/healthz',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
      },
    });

    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('allows PUBLIC_URL’s origin when CORS_ORIGINS is unset', async () => {
    const { app } = await startApp({ PUBLIC_URL: 'https://switchyard.example.com/app' });

    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://switchyard.example.com' },
    });

    expect(response.headers['access-control-allow-origin']).toBe('https://switchyard.example.com');
  });

  it('gives an origin outside the allow-list no CORS headers', async () => {
    const { app } = await startApp({ CORS_ORIGINS: 'https://app.example.com' });

    const response = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example.net' },
    });

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('OpenAPI', () => {
  it('serves /openapi.json listing /healthz and /readyz with their summaries', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/openapi.json' });

    expect(response.statusCode).toBe(200);
    const document = response.json() as {
      openapi: string;
      paths: Record<string, { get?: { summary?: string; responses?: Record<string, unknown> } }>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/healthz']?.get?.summary).toBeTruthy();
    expect(Object.keys(document.paths['/readyz']?.get?.responses ?? {})).toEqual(['200', '503']);
    expect(Object.keys(document.paths)).not.toContain('/openapi.json');
  });

  it('serves Swagger UI at /docs', async () => {
    const { app } = await startApp();

    const response = await app.inject({ method: 'GET', url: '/docs/' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    // Swagger UI's own CSP, which lets the page load its scripts and styles.
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('links Swagger UI assets and the OpenAPI server through the public /api path', async () => {
    const { app } = await startApp();

    const page = await app.inject({ method: 'GET', url: '/docs' });
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      servers?: Array<{ url: string }>;
    };

    expect(page.body).toContain('src="/api/docs/static/swagger-ui-bundle.js"');
    expect(spec.servers?.[0]?.url).toBe('/api');
    const asset = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
  });

  it('serves neither when DOCS_ENABLED=false', async () => {
    const { app } = await startApp({ DOCS_ENABLED: 'false' });

    const spec = await app.inject({ method: 'GET', url: '/openapi.json' });
    const ui = await app.inject({ method: 'GET', url: '/docs/' });

    expect(spec.statusCode).toBe(404);
    expect(ui.statusCode).toBe(404);
  });
});
