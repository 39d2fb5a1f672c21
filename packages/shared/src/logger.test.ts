import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts secrets and auth headers', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    log.info(
      {
        password: 'hunter2',
        user: { token: 'abc' },
        req: { headers: { authorization: 'Bearer xyz', cookie: 'sid=1' } },
      },
      'hello',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/hunter2|abc|Bearer xyz|sid=1/);
    expect(JSON.parse(line)).toMatchObject({
      service: 'test',
      msg: 'hello',
      password: '[redacted]',
    });
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://user:secret@db:5432/app')).toBe('postgres://user:***@db:5432/app');
  });
});
