import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestToolContext } from '../testing/create-test-tool-context';
import { ToolError } from '../tool-error';
import type { ToolContext } from '../types';
import { createHttpFetchTool } from './http-fetch-tool';

type LocalServer = { server: Server; url: string; hits: string[] };

async function listen(host: string, handler: RequestListener): Promise<LocalServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${port}`, hits };
}

function close({ server }: LocalServer): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// The "public" test server is on 127.0.0.1 and the "internal" one on 127.0.0.2: both loopback,
// but the tests mark only 127.0.0.1 as allowed, so the guard must still refuse 127.0.0.2.
let publicServer: LocalServer;
let internalServer: LocalServer;
let context: ToolContext;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  internalServer = await listen('127.0.0.2', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('internal secret');
  });
  publicServer = await listen('127.0.0.1', (req, res) => {
    if (req.url === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('hello from the test server');
    } else if (req.url === '/to-internal') {
      res.writeHead(302, { location: `${internalServer.url}/secret` });
      res.end();
    } else if (req.url === '/to-metadata') {
      res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    } else if (req.url === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (req.url === '/relative') {
      res.writeHead(303, { location: '/hello' });
      res.end();
    } else if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5000));
    } else if (req.url === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});

afterAll(async () => {
  await close(publicServer);
  await close(internalServer);
});

beforeEach(async () => {
  ({ context, cleanup } = await createTestToolContext());
  publicServer.hits.length = 0;
  internalServer.hits.length = 0;
});
afterEach(() => cleanup());

const testTool = (extra: Parameters<typeof createHttpFetchTool>[0] = {}) =>
  createHttpFetchTool({ unsafeAllowAddressesForTests: ['127.0.0.1'], ...extra });

async function refusal(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('http_fetch', () => {
  it('refuses a loopback server by default, without connecting to it', async () => {
    const tool = createHttpFetchTool();
    const error = await refusal(
      tool.execute({ url: `${publicServer.url}/hello`, method: 'GET' }, context),
    );
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/not a public address \(loopback\)/);
    expect(publicServer.hits).toEqual([]);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const port = new URL(publicServer.url).port;
    const error = await refusal(
      createHttpFetchTool().execute(
        { url: `http://localhost:${port}/hello`, method: 'GET' },
        context,
      ),
    );
    expect(error.code).toBe('refused');
    expect(publicServer.hits).toEqual([]);
  });

  it('refuses the metadata address and IPv4-mapped or IPv6 loopback forms', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]/',
      'http://0x7f.1/',
      'http://2130706433/',
    ]) {
      const error = await refusal(createHttpFetchTool().execute({ url, method: 'GET' }, context));
      expect(error.code).toBe('refused');
    }
  });

  it('refuses schemes other than http and https, and URLs with credentials', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/']) {
      expect((await refusal(testTool().execute({ url, method: 'GET' }, context))).code).toBe(
        'refused',
      );
    }
    const withCredentials = `${publicServer.url.replace('http://', 'http://user:pw@')}/hello`;
    expect(
      (await refusal(testTool().execute({ url: withCredentials, method: 'GET' }, context))).code,
    ).toBe('refused');
  });

  it('fetches an allowed server and returns status, type and text', async () => {
    const result = await testTool().execute(
      { url: `${publicServer.url}/hello`, method: 'GET' },
      context,
    );
    expect(result).toEqual({
      url: `${publicServer.url}/hello`,
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      bytes: 26,
      truncated: false,
      body: 'hello from the test server',
    });
  });

  it('refuses a redirect from an allowed server to a private one, without connecting to it', async () => {
    const error = await refusal(
      testTool().execute({ url: `${publicServer.url}/to-internal`, method: 'GET' }, context),
    );
    expect(error.code).toBe('refused');
    expect(publicServer.hits).toEqual(['/to-internal']);
    expect(internalServer.hits).toEqual([]);
  });

  it('follows the same redirect when the target is allowed (the refusal is the guard)', async () => {
    const tool = testTool({ unsafeAllowAddressesForTests: ['127.0.0.1', '127.0.0.2'] });
    const result = await tool.execute(
      { url: `${publicServer.url}/to-internal`, method: 'GET' },
      context,
    );
    expect(result.body).toBe('internal secret');
    expect(result.url).toBe(`${internalServer.url}/secret`);
  });

  it('refuses redirects to the metadata address and to file URLs', async () => {
    for (const path of ['/to-metadata', '/to-file']) {
      const error = await refusal(
        testTool().execute({ url: `${publicServer.url}${path}`, method: 'GET' }, context),
      );
      expect(error.code).toBe('refused');
    }
  });

  it('follows relative redirects and stops redirect loops', async () => {
    const result = await testTool().execute(
      { url: `${publicServer.url}/relative`, method: 'GET' },
      context,
    );
    expect(result.body).toBe('hello from the test server');
    const error = await refusal(
      testTool({ maxRedirects: 3 }).execute(
        { url: `${publicServer.url}/loop`, method: 'GET' },
        context,
      ),
    );
    expect(error.message).toMatch(/More than 3 redirects/);
    expect(publicServer.hits.filter((hit) => hit === '/loop')).toHaveLength(4);
  });

  it('cuts a body at maxBytes', async () => {
    const result = await testTool({ maxBytes: 1000 }).execute(
      { url: `${publicServer.url}/big`, method: 'GET' },
      context,
    );
    expect(result).toMatchObject({ bytes: 1000, truncated: true });
    expect(result.body).toBe('x'.repeat(1000));
  });

  it('answers HEAD without a body and leaves binary bodies out', async () => {
    const head = await testTool().execute(
      { url: `${publicServer.url}/hello`, method: 'HEAD' },
      context,
    );
    expect(head).toMatchObject({ status: 200, bytes: 0, body: '' });
    const image = await testTool().execute(
      { url: `${publicServer.url}/image`, method: 'GET' },
      context,
    );
    expect(image).toMatchObject({ contentType: 'image/png', bytes: 4, body: null });
  });

  it('gives up on a server that stalls past the time limit, as a retryable timeout', async () => {
    const error = await refusal(
      testTool({ timeoutMs: 200 }).execute(
        { url: `${publicServer.url}/stall`, method: 'GET' },
        context,
      ),
    );
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    const pending = testTool().execute(
      { url: `${publicServer.url}/stall`, method: 'GET' },
      { ...context, signal: controller.signal },
    );
    controller.abort(new Error('run cancelled'));
    await expect(pending).rejects.toThrow('run cancelled');
  });
});
