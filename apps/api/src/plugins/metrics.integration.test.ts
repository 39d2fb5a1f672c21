import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createRedis, type Redis } from '@switchyard/shared';
import { buildApp, type App } from '../app';
import { createTestConfig, LOCAL_REDIS_URL, UNREACHABLE_REDIS_URL } from '../testing/test-app';

const TOKEN = randomBytes(24).toString('hex');
const logger = createLogger({ name: 'api', level: 'silent' });
const queuePrefix = `sy-test-metrics-${randomBytes(6).toString('hex')}`;

async function appWith(env: Record<string, string>): Promise<App> {
  const app = await buildApp(
    createTestConfig({ REDIS_URL: LOCAL_REDIS_URL, QUEUE_PREFIX: queuePrefix, ...env }),
    { logger },
  );
  await app.ready();
  return app;
}

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const app = await appWith({});
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await app.close();

    expect(response.statusCode).toBe(404);
  });
});

describe('GET /metrics while Redis is unreachable', () => {
  it('answers without queue depth rather than failing the scrape', async () => {
    const app = await appWith({ METRICS_TOKEN: TOKEN, REDIS_URL: UNREACHABLE_REDIS_URL });
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await app.close();

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('switchyard_api_process_cpu_user_seconds_total');
    expect(response.body).not.toContain('switchyard_queue_jobs{');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let app: App;
  let bullmq: Redis;
  let steps: Queue;

  beforeAll(async () => {
    app = await appWith({ METRICS_TOKEN: TOKEN });
    bullmq = createRedis(LOCAL_REDIS_URL, { forBullmq: true, name: 'metrics-test' });
    steps = new Queue('steps', { connection: bullmq, prefix: queuePrefix });
    await steps.add('execute-step', {}, { delay: 60_000 });
  });

  afterAll(async () => {
    await app?.close();
    await steps?.obliterate({ force: true });
    await steps?.close();
    await bullmq?.quit();
  });

  const scrape = (authorization?: string) =>
    app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization === undefined ? {} : { authorization },
    });

  it.each([
    ['no credentials', undefined],
    ['a wrong token', `Bearer ${TOKEN.slice(1)}x`],
    ['the token without the scheme', TOKEN],
    ['a longer token', `Bearer ${TOKEN}${TOKEN}`],
  ])('answers 401 to %s', async (_name, authorization) => {
    const response = await scrape(authorization);

    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).not.toContain('switchyard_');
  });

  it('reports request durations by route template, process metrics and queue depth', async () => {
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: `/v1/orgs/${randomUUID()}/runs` });
    await app.inject({ method: 'GET', url: '/no/such/page' });

    const response = await scrape(`Bearer ${TOKEN}`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const body = response.body;
    expect(body).toMatch(
      /switchyard_http_request_duration_seconds_count\{route="\/healthz",method="GET",status_code="200"\} 1/,
    );
    expect(body).toContain(
      'switchyard_http_request_duration_seconds_count{route="/v1/orgs/:orgId/runs",method="GET",status_code="401"} 1',
    );
    expect(body).toContain('route="unmatched",method="GET",status_code="404"');
    // Ids never become label values.
    expect(body).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(body).toContain('switchyard_api_process_cpu_user_seconds_total');
    expect(body).toContain('switchyard_queue_jobs{queue="steps",state="delayed"} 1');
    expect(body).toContain('switchyard_queue_jobs{queue="maintenance",state="waiting"} 0');
  });
});
