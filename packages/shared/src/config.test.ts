import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig, settings } from './config';

const schema = z.object({
  DATABASE_URL: settings.postgresUrl(),
  REDIS_URL: settings.redisUrl().default('redis://127.0.0.1:6379'),
  PORT: settings.port(4000),
  ORIGINS: settings.csv(),
  DOCS: settings.boolean(true),
});

describe('parseConfig', () => {
  it('applies defaults and coerces values', () => {
    const config = parseConfig(schema, {
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      PORT: '8080',
      ORIGINS: 'https://a.test, https://b.test,',
      DOCS: 'false',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 8080,
      ORIGINS: ['https://a.test', 'https://b.test'],
      DOCS: false,
    });
  });

  it('treats empty strings as unset so defaults apply', () => {
    const config = parseConfig(schema, { DATABASE_URL: 'postgresql://db/app', PORT: '' });
    expect(config.PORT).toBe(4000);
  });

  it('lists every invalid or missing setting in one error', () => {
    let caught: unknown;
    try {
      parseConfig(schema, { REDIS_URL: 'http://nope', PORT: '70000', DOCS: 'maybe' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/REDIS_URL: must be a URL like redis:\/\/host:6379/);
    expect(problems.join('\n')).toMatch(/PORT: must be a port number/);
    expect(problems.join('\n')).toMatch(/DOCS: must be true or false/);
  });

  it('refuses a malformed database URL with a message showing the expected form', () => {
    expect(() => parseConfig(schema, { DATABASE_URL: 'localhost:5432' })).toThrow(
      /DATABASE_URL: must be a URL like postgres:\/\//,
    );
  });
});
