import { request } from 'node:http';

/** One parsed Server-Sent Event. */
export type SseMessage = { id: string; event: string; data: string };

export type SseReading = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  messages: SseMessage[];
  /** True when the server ended the stream; false when the client hung up after `stopAfter`. */
  ended: boolean;
};

/** Parses one `\n\n`-terminated block; null for a comment (a heartbeat). */
function parseBlock(block: string): SseMessage | null {
  const message: SseMessage = { id: '', event: 'message', data: '' };
  let isComment = true;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    isComment = false;
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const content = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = content;
    if (field === 'event') message.event = content;
    if (field === 'data') message.data = content;
  }
  return isComment ? null : message;
}

/**
 * Reads `url` as an SSE stream over a real HTTP connection of its own until the server ends it,
 * or until `stopAfter` messages were read (then the client disconnects, mid-stream).
 */
export function readSse(
  url: string,
  options: { headers?: Record<string, string>; stopAfter?: number } = {},
): Promise<SseReading> {
  return new Promise((resolve, reject) => {
    const messages: SseMessage[] = [];
    const req = request(url, { headers: options.headers, agent: false }, (res) => {
      const reading = (ended: boolean): SseReading => ({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        ended,
      });
      let buffer = '';
      let done = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (done) return;
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1 && !done) {
          const message = parseBlock(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          if (message) messages.push(message);
          if (options.stopAfter !== undefined && messages.length >= options.stopAfter) {
            done = true;
            req.destroy();
            resolve(reading(false));
          }
        }
      });
      res.on('end', () => {
        if (!done) resolve(reading(true));
      });
      res.on('error', (error) => {
        if (!done) reject(error);
      });
    });
    req.on('error', (error) => {
      if (messages.length === 0 || options.stopAfter === undefined) reject(error);
    });
    req.end();
  });
}
