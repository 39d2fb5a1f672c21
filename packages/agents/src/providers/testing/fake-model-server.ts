import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake server received it. */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
};

type Handler = (request: RecordedRequest, response: ServerResponse) => void;

/**
 * A local HTTP server standing in for a model API in wire-format tests: each test queues how
 * the next requests are answered and inspects what the SDK sent.
 */
export type FakeModelServer = {
  /** Base URL, e.g. `http://127.0.0.1:43210`. */
  url: string;
  requests: RecordedRequest[];
  /** Answers the next request with `handler` (requests beyond the queue get a 599). */
  enqueue(handler: Handler): void;
  /** Resolves when the next request has arrived (body read). */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
};

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Writes Server-Sent Events; `data` objects are JSON-encoded. Ends the response unless told. */
export function sendSse(
  response: ServerResponse,
  events: { event?: string; data: unknown }[],
  options: { end?: boolean } = {},
): void {
  if (!response.headersSent) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  }
  for (const { event, data } of events) {
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    response.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
  }
  if (options.end ?? true) response.end();
}

export async function startFakeModelServer(): Promise<FakeModelServer> {
  const handlers: Handler[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: ((request: RecordedRequest) => void)[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      requests.push(recorded);
      waiters.shift()?.(recorded);
      const handler = handlers.shift();
      if (handler) handler(recorded, response);
      else sendJson(response, 599, { error: { message: 'no response queued' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (handler) => handlers.push(handler),
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
