import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@switchyard/shared';
import { createHealthServer, type CreateHealthServerOptions } from './create-health-server';

const TOKEN = 't'.repeat(40);
const log = createLogger({ name: 'health-test', level: 'silent' });
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(metrics: CreateHealthServerOptions['metrics']): Promise<string> {
  const server = createHealthServer({ checks: {}, log, metrics });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const metrics = { contentType: 'text/plain; version=0.0.4', render: async () => 'up 1\n' };

describe('createHealthServer /metrics', () => {
  it('answers anyone when no token is configured', async () => {
    const base = await serve(metrics);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('up 1\n');
  });

  it('with a token, answers only its bearer: 401 problem+json otherwise', async () => {
    const base = await serve({ ...metrics, token: TOKEN });
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer']) {
      const response = await fetch(`${base}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('up 1');
    }
    const allowed = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe('up 1\n');
    // Health probes never need the token.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
