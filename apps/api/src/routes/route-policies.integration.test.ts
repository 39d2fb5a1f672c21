import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestRedis, createTestRedis } from '@switchyard/auth/testing';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import type { RoutePolicy } from '../plugins/auth-context';
import { createTestConfig } from '../testing/test-app';

/**
 * SECURITY.md 17, deny by default: every route declares its policy, and the public ones are
 * exactly these. Adding a public route means adding it here, where a reviewer sees it. A GET
 * entry stands for its HEAD route too.
 */
const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  // API documentation: on outside production only, unless DOCS_ENABLED says otherwise.
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/',
  'GET /docs/static/*',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
  'GET /.well-known/jwks.json',
  'POST /v1/auth/signup',
  'POST /v1/auth/verify-email',
  'POST /v1/auth/resend-verification',
  'POST /v1/auth/login',
  'POST /v1/auth/login/two-factor',
  'POST /v1/auth/forgot-password',
  'POST /v1/auth/reset-password',
  // Token or cookie in hand, the caller is not authenticated yet; the handler checks CSRF.
  'POST /v1/auth/refresh',
  'GET /v1/auth/oauth/providers',
  'GET /v1/auth/oauth/:provider/start',
  'GET /v1/auth/oauth/:provider/callback',
  // Registered only when DEV_MAILBOX is on (local development without SMTP).
  'GET /v1/dev/mailbox',
  // Registered only with NODE_ENV=test and API_TEST_SLOW_ROUTE=1.
  'GET /__test/slow',
].sort();

/**
 * Routes answered before the authenticate plugin runs, so they carry no policy: the CORS
 * plugin's preflight route, which never reaches a handler (see the test below).
 */
const ANSWERED_BEFORE_AUTHENTICATION = ['OPTIONS *'];

const logger = createLogger({ name: 'api', level: 'silent' });
let database: TestDatabase;
let redis: Redis;
let app: App;

/** The API with every optional route group on: docs, dev mailbox, the test-only route. */
async function buildFullApp(): Promise<App> {
  return buildApp(
    createTestConfig({
      DATABASE_URL: database.url,
      PUBLIC_URL: 'http://localhost:3000',
      DOCS_ENABLED: 'true',
      DEV_MAILBOX: 'true',
      API_TEST_SLOW_ROUTE: '1',
      METRICS_TOKEN: 'a-metrics-token-of-at-least-32-characters',
    }),
    { database, redis, logger },
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createTestRedis();
  app = await buildFullApp();
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  if (redis) await closeTestRedis(redis);
  await database?.drop();
});

/** `METHOD url` of every registered route, with its policy (undefined when it has none). */
function policiesByRoute(): Map<string, RoutePolicy | undefined> {
  const policies = new Map<string, RoutePolicy | undefined>();
  for (const route of app.registeredRoutes) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) policies.set(`${method} ${route.url}`, route.config?.policy);
  }
  return policies;
}

describe('route policies (deny by default)', () => {
  it('has a policy on every route but the CORS preflight route', () => {
    const policies = policiesByRoute();
    const withoutPolicy = [...policies].filter(([, policy]) => !policy).map(([route]) => route);

    expect(policies.size).toBeGreaterThan(50);
    expect(withoutPolicy).toEqual(ANSWERED_BEFORE_AUTHENTICATION);
    const kinds = [...policies.values()].flatMap((policy) => (policy ? [policy.kind] : []));
    expect(new Set(kinds)).toEqual(
      new Set(['public', 'authenticated', 'recent-auth', 'org', 'platform-admin', 'metrics-token']),
    );
  });

  it('gives the worker manager to platform admins and /metrics to the scraper only', () => {
    const policies = [...policiesByRoute()];
    const admin = policies.filter(([route]) => / \/v1\/admin\//.test(route));
    const operator = policies.filter(
      ([, policy]) => policy?.kind === 'platform-admin' || policy?.kind === 'metrics-token',
    );

    expect(admin.length).toBeGreaterThanOrEqual(7);
    expect(admin.every(([, policy]) => policy?.kind === 'platform-admin')).toBe(true);
    expect(operator.map(([route]) => route).sort()).toEqual(
      [...admin.map(([route]) => route), 'GET /metrics', 'HEAD /metrics'].sort(),
    );
  });

  it('has exactly the public routes of the allow-list', () => {
    const publicRoutes = [...policiesByRoute()]
      .filter(([, policy]) => policy?.kind === 'public')
      // The allow-list names a HEAD route by its GET route.
      .map(([route]) => route.replace(/^HEAD /, 'GET '));

    expect([...new Set(publicRoutes)].sort()).toEqual(PUBLIC_ROUTES);
  });

  it('lets the CORS preflight route answer preflight requests only', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/me',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PATCH' },
    });
    const plain = await app.inject({ method: 'OPTIONS', url: '/v1/me' });

    expect(preflight.statusCode).toBe(204);
    expect(plain.statusCode).toBe(400);
    expect(plain.body).toContain('Invalid Preflight Request');
  });

  it('refuses to start when a plugin registers a route without a policy', async () => {
    const broken = await buildFullApp();
    // Not awaited: the plugin loads while the app gets ready, as every plugin of buildApp did.
    void broken.register(async (scope) => {
      scope.get('/v1/forgotten', async () => ({ open: true }));
    });

    await expect(broken.ready()).rejects.toThrow(/GET \/v1\/forgotten declares no auth policy/);
    await broken.close();
  });
});
