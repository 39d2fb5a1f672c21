import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchReadiness, formatCheckedAt, toReadinessView } from './readiness';

const CHECKED_AT = '2030-01-02T03:04:05.678Z';

describe('toReadinessView', () => {
  it('reports ready with every check ok, in postgres, redis, migrations order', () => {
    const view = toReadinessView({
      httpStatus: 200,
      body: { status: 'ready', checks: { redis: 'ok', migrations: 'ok', postgres: 'ok' } },
      checkedAt: CHECKED_AT,
    });
    expect(view.state).toBe('ready');
    expect(view.checks.map((check) => [check.label, check.isOk])).toEqual([
      ['PostgreSQL', true],
      ['Redis', true],
      ['Database migrations', true],
    ]);
    expect(view.checkedAt).toBe(CHECKED_AT);
  });

  it('reports not ready and names the failing check from a 503 problem', () => {
    const view = toReadinessView({
      httpStatus: 503,
      body: {
        title: 'Service Unavailable',
        status: 503,
        detail: 'redis is not answering',
        checks: { postgres: 'ok', redis: 'error', migrations: 'ok' },
      },
      checkedAt: CHECKED_AT,
    });
    expect(view.state).toBe('not_ready');
    expect(view.detail).toBe('redis is not answering');
    expect(view.checks.find((check) => check.name === 'redis')).toEqual({
      name: 'redis',
      label: 'Redis',
      isOk: false,
      status: 'error',
    });
    expect(view.checks.filter((check) => check.isOk)).toHaveLength(2);
  });

  it('keeps checks it does not know, after the known ones', () => {
    const view = toReadinessView({
      httpStatus: 200,
      body: { status: 'ready', checks: { storage: 'ok', postgres: 'ok' } },
      checkedAt: CHECKED_AT,
    });
    expect(view.checks.map((check) => check.label)).toEqual(['PostgreSQL', 'storage']);
  });

  it('reports unreachable when a proxy answers 502 without a readiness report', () => {
    const view = toReadinessView({ httpStatus: 502, body: null, checkedAt: CHECKED_AT });
    expect(view.state).toBe('unreachable');
    expect(view.checks).toEqual([]);
    expect(view.detail).toContain('HTTP 502');
  });

  it('reports an unexpected answer for a 200 that is not a readiness report', () => {
    const view = toReadinessView({ httpStatus: 200, body: { hello: 1 }, checkedAt: CHECKED_AT });
    expect(view.state).toBe('unexpected');
  });

  it('reports an unexpected answer for a 404', () => {
    const view = toReadinessView({ httpStatus: 404, body: null, checkedAt: CHECKED_AT });
    expect(view.state).toBe('unexpected');
    expect(view.detail).toContain('HTTP 404');
  });
});

describe('formatCheckedAt', () => {
  it('formats the time of day in UTC', () => {
    expect(formatCheckedAt(CHECKED_AT)).toBe('03:04:05 UTC');
  });
});

describe('fetchReadiness', () => {
  let server: Server | undefined;

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running) {
      running.closeAllConnections();
      await new Promise((resolve) => running.close(resolve));
    }
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const started = createServer(handler);
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    const { port } = started.address() as AddressInfo;
    return `http://127.0.0.1:${port}/readyz`;
  }

  it('maps a 503 problem+json answer to not ready', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/problem+json' });
      response.end(
        JSON.stringify({
          title: 'Service Unavailable',
          status: 503,
          detail: 'migrations pending',
          checks: { postgres: 'ok', redis: 'ok', migrations: 'pending' },
        }),
      );
    });
    const view = await fetchReadiness(url, { timeoutMs: 2000 });
    expect(view.state).toBe('not_ready');
    expect(view.httpStatus).toBe(503);
    expect(view.checks.find((check) => check.name === 'migrations')?.status).toBe('pending');
  });

  it('maps a 200 answer to ready', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } }));
    });
    const view = await fetchReadiness(url, { timeoutMs: 2000 });
    expect(view.state).toBe('ready');
  });

  it('reports a refused connection as unreachable', async () => {
    const url = await serve(() => undefined);
    const closed = server;
    server = undefined;
    await new Promise((resolve) => closed?.close(resolve));
    const view = await fetchReadiness(url, { timeoutMs: 2000 });
    expect(view.state).toBe('unreachable');
    expect(view.httpStatus).toBeNull();
    expect(view.detail).toContain('connection refused');
  });

  it('reports a connection dropped without an answer as unreachable', async () => {
    const url = await serve((request) => request.socket.destroy());
    const view = await fetchReadiness(url, { timeoutMs: 2000 });
    expect(view.state).toBe('unreachable');
    expect(view.detail).toContain('connection closed without an answer');
  });

  it('reports an api that never answers as unreachable once the timeout passes', async () => {
    const url = await serve(() => undefined);
    const view = await fetchReadiness(url, { timeoutMs: 100 });
    expect(view.state).toBe('unreachable');
    expect(view.detail).toContain('no answer within 100 ms');
  });
});
