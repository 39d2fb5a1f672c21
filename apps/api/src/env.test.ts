import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  parseConfig,
} from '@switchyard/shared';
import { apiEnvSchema, loadApiConfig } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(apiEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const SECRET = 'x'.repeat(48);

describe('apiEnvSchema', () => {
  it('runs with nothing configured, on the embedded defaults', () => {
    const config = loadApiConfig({});

    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 4000,
      databaseUrl: DEFAULT_DATABASE_URL,
      databasePoolMax: 10,
      redisUrl: DEFAULT_REDIS_URL,
      publicUrl: 'http://localhost:3000',
      corsOrigins: ['http://localhost:3000'],
      bodyLimitBytes: 1024 * 1024,
      shutdownTimeoutMs: 10_000,
      trustProxy: [],
      docsEnabled: true,
      logPretty: false,
      testSlowRoute: false,
    });
  });

  it('lists every bad setting at once, naming each', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://localhost/db',
      API_PORT: '99999',
      REDIS_URL: 'localhost:6379',
    });

    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('postgres://');
    expect(problems.find((p) => p.startsWith('API_PORT:'))).toContain('port number');
    expect(problems.find((p) => p.startsWith('REDIS_URL:'))).toContain('redis://');
  });

  it('limits 600 API requests a minute per principal by default, 0 turning it off', () => {
    expect(loadApiConfig({}).apiRateLimitPerMinute).toBe(600);
    expect(loadApiConfig({ API_RATE_LIMIT_PER_MINUTE: '0' }).apiRateLimitPerMinute).toBe(0);
    expect(problemsOf({ API_RATE_LIMIT_PER_MINUTE: '-1' })).toEqual([
      expect.stringMatching(/^API_RATE_LIMIT_PER_MINUTE: .*0 to turn the limit off/),
    ]);
  });

  it('makes nobody a platform admin by default and lowercases the listed e-mails', () => {
    expect(loadApiConfig({}).platformAdminEmails).toEqual([]);
    expect(
      loadApiConfig({ PLATFORM_ADMIN_EMAILS: 'Ops@Example.com, root@example.org' })
        .platformAdminEmails,
    ).toEqual(['ops@example.com', 'root@example.org']);
    expect(problemsOf({ PLATFORM_ADMIN_EMAILS: 'ops@example.com, not-an-email' })).toEqual([
      expect.stringMatching(/^PLATFORM_ADMIN_EMAILS: /),
    ]);
  });

  it('serves no metrics without METRICS_TOKEN and refuses a short one', () => {
    expect(loadApiConfig({}).metricsToken).toBeUndefined();
    expect(loadApiConfig({ METRICS_TOKEN: SECRET }).metricsToken).toBe(SECRET);
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN: .*openssl rand/),
    ]);
    expect(problemsOf({ METRICS_TOKEN: `${SECRET} x` })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN: /),
    ]);
  });

  it('rejects a non-numeric port', () => {
    expect(problemsOf({ API_PORT: 'http' })).toEqual([expect.stringMatching(/^API_PORT: /)]);
  });

  it('parses CORS_ORIGINS as a list and refuses entries that are not bare origins', () => {
    expect(
      loadApiConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:3000' }).corsOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:3000']);
    expect(problemsOf({ CORS_ORIGINS: 'https://a.example.com/app' })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS: /),
    ]);
    expect(problemsOf({ CORS_ORIGINS: '*' })).toEqual([expect.stringMatching(/^CORS_ORIGINS: /)]);
  });

  it('trusts no proxy by default and accepts addresses and CIDR ranges', () => {
    expect(loadApiConfig({}).trustProxy).toEqual([]);
    expect(
      loadApiConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1, loopback' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'loopback']);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33' })).toEqual([
      expect.stringMatching(/^TRUST_PROXY: /),
    ]);
    expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
  });

  it('turns the docs off in production unless DOCS_ENABLED says otherwise', () => {
    const production = { NODE_ENV: 'production', AUTH_SECRET: SECRET };
    expect(loadApiConfig(production).docsEnabled).toBe(false);
    expect(loadApiConfig({ ...production, DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
    expect(loadApiConfig({ NODE_ENV: 'development', DOCS_ENABLED: '0' }).docsEnabled).toBe(false);
  });

  it('refuses the test-only slow route outside NODE_ENV=test', () => {
    expect(loadApiConfig({ NODE_ENV: 'test', API_TEST_SLOW_ROUTE: '1' }).testSlowRoute).toBe(true);
    expect(
      problemsOf({ NODE_ENV: 'production', AUTH_SECRET: SECRET, API_TEST_SLOW_ROUTE: '1' }),
    ).toEqual([expect.stringMatching(/^API_TEST_SLOW_ROUTE: .*NODE_ENV=test/)]);
  });

  it('requires AUTH_SECRET in production only, and a long one', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUTH_SECRET: is required in production/),
    ]);
    expect(problemsOf({ AUTH_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^AUTH_SECRET: must be at least 32 characters/),
    ]);
    expect(loadApiConfig({}).identity.authSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('enables the dev mailbox only without SMTP on a local public URL', () => {
    expect(loadApiConfig({}).identity.devMailbox).toBe(true);
    expect(loadApiConfig({ SMTP_URL: 'smtp://mail.test:587' }).identity.devMailbox).toBe(false);
    expect(loadApiConfig({ PUBLIC_URL: 'https://app.example.com' }).identity.devMailbox).toBe(
      false,
    );
    expect(
      loadApiConfig({ PUBLIC_URL: 'https://app.example.com', DEV_MAILBOX: 'true' }).identity
        .devMailbox,
    ).toBe(true);
  });

  it('requires both halves of an OAuth client and an issuer for generic OIDC', () => {
    expect(problemsOf({ GITHUB_CLIENT_ID: 'id' })).toEqual([
      expect.stringMatching(/^GITHUB_CLIENT_SECRET: is required when GITHUB_CLIENT_ID is set/),
    ]);
    expect(problemsOf({ OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 's' })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER: is required/),
    ]);
    expect(
      loadApiConfig({ GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 's' }).identity.google,
    ).toEqual({ clientId: 'g', clientSecret: 's', issuer: 'https://accounts.google.com' });
  });

  it('treats empty values as unset', () => {
    expect(loadApiConfig({ API_PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 4000,
      databaseUrl: DEFAULT_DATABASE_URL,
    });
  });
});
