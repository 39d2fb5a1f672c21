import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type HttpResponse = { status: number; headers: IncomingHttpHeaders; body: string };

export type SendRequestOptions = {
  port: number;
  path: string;
  method?: string;
  /** Sent as given: unlike fetch, `Host` and `X-Forwarded-For` can be set. */
  headers?: Record<string, string>;
  body?: string;
};

/** One HTTP/1.1 request to 127.0.0.1 on a fresh connection; resolves with the whole body. */
export function sendRequest(options: SendRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
          reject,
        );
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

/** Resolves with the first chunk of a streamed response, leaving the connection open. */
export function openStream(
  options: SendRequestOptions,
): Promise<{ response: IncomingMessage; firstChunk: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: options.port, path: options.path, headers: options.headers },
      (res) => {
        res.setEncoding('utf8');
        res.once('data', (chunk: string) => {
          resolve({ response: res, firstChunk: chunk, close: () => req.destroy() });
        });
        res.once('end', () => reject(new Error('the stream ended before sending anything')));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

/**
 * Asks for a protocol upgrade (as a WebSocket client does) and resolves with the 101 answer and
 * the raw tunnel socket; rejects if the server answers with anything but 101.
 */
export function requestUpgrade(options: {
  port: number;
  path: string;
  headers?: Record<string, string>;
}): Promise<{ response: IncomingMessage; socket: Duplex }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: options.port,
      path: options.path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...options.headers,
      },
    });
    req.once('upgrade', (response, socket) => resolve({ response, socket }));
    req.once('response', (response) => {
      response.resume();
      reject(new Error(`expected 101 Switching Protocols, got ${response.statusCode}`));
    });
    req.once('error', reject);
    req.end();
  });
}

/** The next chunk the socket receives, as text. */
export function readChunk(socket: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    socket.once('error', reject);
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
