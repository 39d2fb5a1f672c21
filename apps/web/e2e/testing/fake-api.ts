import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake api answers on `/readyz`. `down` drops the connection without an answer. */
export type FakeReadiness = 'ready' | 'redis-failing' | 'down';

export type FakeApi = {
  url: string;
  setReadiness: (readiness: FakeReadiness) => void;
  close: () => Promise<void>;
};

/** A stand-in for apps/api's readiness endpoint on a random loopback port. */
export async function startFakeApi(): Promise<FakeApi> {
  let readiness: FakeReadiness = 'ready';
  const server = createServer((request, response) => {
    if (request.url !== '/readyz') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    if (readiness === 'down') {
      request.socket.destroy();
      return;
    }
    if (readiness === 'ready') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          status: 'ready',
          checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' },
        }),
      );
      return;
    }
    response.writeHead(503, { 'content-type': 'application/problem+json' });
    response.end(
      JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'redis did not answer PING',
        checks: { postgres: 'ok', redis: 'error', migrations: 'ok' },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setReadiness: (next) => {
      readiness = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
