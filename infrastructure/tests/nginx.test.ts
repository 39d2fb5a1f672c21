import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openStream,
  readChunk,
  requestUpgrade,
  sendRequest,
  type HttpResponse,
} from '../testing/http-client';
import {
  checkNginxConfig,
  prepareNginxConfig,
  startNginx,
  type RunningNginx,
} from '../testing/nginx';
import {
  startStandInServer,
  type SeenRequest,
  type StandInServer,
} from '../testing/stand-in-server';

const GENERATED_REQUEST_ID = /^[0-9a-f]{32}$/;

function seenBy(response: HttpResponse): SeenRequest {
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as SeenRequest;
}

describe('config/nginx', () => {
  it('passes nginx -t as shipped, although the names web and api do not resolve here', async () => {
    const prepared = await prepareNginxConfig();
    try {
      const result = checkNginxConfig(prepared);
      expect(result.output).toContain('test is successful');
      expect(result.status).toBe(0);
    } finally {
      await prepared.cleanup();
    }
  });

  describe('in front of stand-ins for web and api', () => {
    let web: StandInServer;
    let api: StandInServer;
    let nginx: RunningNginx;
    const get = (path: string, headers?: Record<string, string>) =>
      sendRequest({ port: nginx.port, path, headers });

    beforeAll(async () => {
      web = await startStandInServer('web');
      api = await startStandInServer('api');
      nginx = await startNginx({ webPort: web.port, apiPort: api.port });
    });

    afterAll(async () => {
      await nginx?.stop();
      await web?.close();
      await api?.close();
    });

    it('answers its own /healthz without asking web or api', async () => {
      const response = await get('/healthz');
      expect(response.status).toBe(200);
      expect(response.body).toBe('ok\n');
    });

    it('sends / and every other non-api path to web unchanged', async () => {
      expect(seenBy(await get('/'))).toMatchObject({ server: 'web', url: '/' });
      expect(seenBy(await get('/runs/42?tab=events'))).toMatchObject({
        server: 'web',
        url: '/runs/42?tab=events',
      });
    });

    it('sends /api/healthz to the api as /healthz', async () => {
      expect(seenBy(await get('/api/healthz'))).toMatchObject({ server: 'api', url: '/healthz' });
    });

    it('strips /api but keeps the rest of the path and the query exactly as sent', async () => {
      const seen = seenBy(await get('/api/v1/files/a%2Fb%20c?name=x%20y&n=1'));
      expect(seen).toMatchObject({ server: 'api', url: '/v1/files/a%2Fb%20c?name=x%20y&n=1' });
    });

    it('forwards the client address, scheme and host, replacing a spoofed X-Forwarded-For', async () => {
      const seen = seenBy(
        await get('/api/v1/me', { Host: 'switchyard.test:8080', 'X-Forwarded-For': '203.0.113.9' }),
      );
      expect(seen.headers).toMatchObject({
        host: 'switchyard.test:8080',
        'x-forwarded-for': '127.0.0.1',
        'x-real-ip': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'switchyard.test:8080',
      });
    });

    it('passes a well-formed X-Request-Id through to web and api', async () => {
      const id = 'req_01J9Z-abc.def:1';
      expect(seenBy(await get('/api/v1/me', { 'X-Request-Id': id })).headers['x-request-id']).toBe(
        id,
      );
      expect(seenBy(await get('/', { 'X-Request-Id': id })).headers['x-request-id']).toBe(id);
    });

    it('generates an X-Request-Id when there is none or the client sent a malformed one', async () => {
      const missing = seenBy(await get('/api/v1/me')).headers['x-request-id'];
      const malformed = seenBy(await get('/api/v1/me', { 'X-Request-Id': 'x" injected=1' }))
        .headers['x-request-id'];
      expect(missing).toMatch(GENERATED_REQUEST_ID);
      expect(malformed).toMatch(GENERATED_REQUEST_ID);
      expect(malformed).not.toBe(missing);
    });

    it('logs the request id and path of each request, never its query string', async () => {
      await get('/api/v1/runs?token=secret-in-query', { 'X-Request-Id': 'log-check-1' });
      // nginx writes the line just after it has answered; wait for it, boundedly.
      let line: string | undefined;
      for (let attempt = 0; attempt < 100 && line === undefined; attempt += 1) {
        const log = await nginx.readAccessLog();
        line = log.split('\n').find((entry) => entry.includes('request_id=log-check-1'));
        if (line === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(line).toContain('"GET /api/v1/runs HTTP/1.1" 200');
      expect(line).not.toContain('secret-in-query');
    });

    it('tunnels a WebSocket upgrade on /api/socket.io/ with the upgrade headers forwarded', async () => {
      const { response, socket } = await requestUpgrade({
        port: nginx.port,
        path: '/api/socket.io/?EIO=4&transport=websocket',
      });
      try {
        expect(response.statusCode).toBe(101);
        const seen = api.upgrades.at(-1);
        expect(seen?.url).toBe('/socket.io/?EIO=4&transport=websocket');
        expect(seen?.headers.upgrade).toBe('websocket');
        expect(seen?.headers.connection?.toLowerCase()).toBe('upgrade');
        expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
        const echoed = readChunk(socket);
        socket.write('ping over the tunnel');
        expect(await echoed).toBe('ping over the tunnel');
      } finally {
        socket.destroy();
      }
    });

    it('tunnels upgrades on other paths too, to web or api by prefix', async () => {
      const { response, socket } = await requestUpgrade({ port: nginx.port, path: '/_next/hmr' });
      socket.destroy();
      expect(response.statusCode).toBe(101);
      expect(web.upgrades.at(-1)?.url).toBe('/_next/hmr');
    });

    it('asks upstreams to keep plain requests open rather than upgrade them', async () => {
      const seen = seenBy(await get('/api/v1/me'));
      expect(seen.headers.upgrade).toBeUndefined();
      expect(seen.headers.connection).toBeUndefined();
    });

    it('delivers a run event to the client while the api keeps the stream open', async () => {
      // Anything that holds events back (response buffering, compression) would keep this one
      // from arriving, and the api here ends the stream only after the client has received it.
      const stream = await openStream({
        port: nginx.port,
        path: '/api/v1/runs/run_1/events',
        headers: { Accept: 'text/event-stream', 'Accept-Encoding': 'gzip, deflate, br' },
      });
      try {
        expect(stream.response.headers['content-type']).toBe('text/event-stream');
        expect(stream.firstChunk).toBe('data: first\n\n');
      } finally {
        api.endStreams();
        stream.close();
      }
    });

    it('adds security headers that the upstream did not send', async () => {
      const response = await get('/');
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
      });
      expect(response.headers.server).toBe('nginx');
    });

    it("keeps the upstream's own security headers without adding a second copy", async () => {
      const response = await get('/own-headers');
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
      });
    });

    it('compresses text for clients that accept gzip', async () => {
      const response = await get('/large.css', { 'Accept-Encoding': 'gzip' });
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe('gzip');
    });

    it('refuses a request body larger than client_max_body_size with 413 before reading it', async () => {
      const response = await sendRequest({
        port: nginx.port,
        path: '/api/v1/files',
        method: 'POST',
        headers: { 'Content-Length': String(26 * 1024 * 1024) },
      }).catch((error: unknown) => error);
      // nginx answers from the header alone and closes; the unsent body is never awaited.
      expect(response).toMatchObject({ status: 413 });
    });
  });
});
