import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** What a stand-in saw of one request, and answers back as JSON so a test can read it. */
export type SeenRequest = {
  server: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
};

export type StandInServer = {
  name: string;
  port: number;
  /** Upgrade requests received, in order. */
  upgrades: SeenRequest[];
  /** Ends every open server-sent event stream. */
  endStreams: () => void;
  close: () => Promise<void>;
};

const RUN_EVENTS = /^\/v1\/runs\/[^/]+\/events$/;

/**
 * A tiny HTTP server standing in for web or api behind nginx, on 127.0.0.1:
 * - any request: 200 with the request it saw as JSON (`SeenRequest`);
 * - `/own-headers`: the same, with its own X-Frame-Options, X-Content-Type-Options and
 *   Referrer-Policy, as web and api send;
 * - `/large.css`: 16 KiB of CSS, to see compression;
 * - `/v1/runs/:id/events`: a server-sent event stream that sends one event and stays open until
 *   `endStreams()`;
 * - an upgrade request: 101, then echoes every byte back over the tunnel.
 */
export async function startStandInServer(name: string): Promise<StandInServer> {
  const streams = new Set<ServerResponse>();
  const tunnels = new Set<Duplex>();
  const upgrades: SeenRequest[] = [];

  const server = createServer((req, res) => {
    const seen: SeenRequest = {
      server: name,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
    };
    const path = seen.url.split('?')[0] ?? '';
    if (RUN_EVENTS.test(path)) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      streams.add(res);
      res.once('close', () => streams.delete(res));
      return;
    }
    if (path === '/large.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end('.switchyard { color: #123456; }\n'.repeat(512));
      return;
    }
    if (path === '/own-headers') {
      res.setHeader('x-frame-options', 'SAMEORIGIN');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(seen));
  });

  server.on('upgrade', (req, socket: Duplex) => {
    upgrades.push({
      server: name,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
    });
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    );
    socket.pipe(socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('stand-in has no port');

  return {
    name,
    port: address.port,
    upgrades,
    endStreams: () => {
      for (const stream of streams) stream.end();
    },
    close: async () => {
      for (const stream of streams) stream.destroy();
      for (const tunnel of tunnels) tunnel.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
