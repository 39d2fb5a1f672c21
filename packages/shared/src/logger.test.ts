import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createLogger, isoTime, REDACT_PATHS, redactUrl } from './logger';

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

describe('createLogger redaction', () => {
  it('redacts secrets one level down in any field, and in child bindings', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    log.child({ accessToken: 'binding-token' }).info(
      {
        body: { password: 'body-pw', name: 'Ada' },
        config: { databaseUrl: 'postgres://u:db-pw@h/db', redisUrl: 'redis://:redis-pw@h' },
        apiKey: 'sy_key',
        res: { headers: { 'set-cookie': '__Host-sy_access=cookie-value' } },
      },
      'nested',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/binding-token|body-pw|db-pw|redis-pw|sy_key|cookie-value/);
    expect(JSON.parse(line)).toMatchObject({
      accessToken: '[redacted]',
      body: { password: '[redacted]', name: 'Ada' },
      config: { databaseUrl: '[redacted]', redisUrl: '[redacted]' },
      apiKey: '[redacted]',
    });
  });

  it("never changes the caller's objects, and keeps an error with a secret an error", () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    const body = { password: 'hunter2' };
    const error = Object.assign(new Error('boom'), { token: 'error-token' });
    log.error({ body, err: error }, 'failed');

    expect(body.password).toBe('hunter2');
    expect(error.token).toBe('error-token');
    const line = JSON.parse(lines.join('')) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom', token: '[redacted]' });
    expect(line.err.stack).toContain('boom');
  });

  it('uses no wildcard redaction path (each costs pino microseconds on every line)', () => {
    expect(REDACT_PATHS.filter((path) => path.includes('*'))).toEqual([]);
  });
});

describe('isoTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes pino's isoTime field, and a new one as soon as the clock moves", () => {
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05.006Z') });
    expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    expect(isoTime()).toBe(',"time":"2030-01-02T03:04:05.006Z"');

    vi.setSystemTime(new Date('2030-01-02T03:04:05.007Z'));
    expect(isoTime()).toBe(',"time":"2030-01-02T03:04:05.007Z"');
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://user:secret@db:5432/app')).toBe('postgres://user:***@db:5432/app');
  });
});
