import { randomBytes } from 'node:crypto';
import { createLogger, DEFAULT_REDIS_URL, Redis, type Logger } from '@switchyard/shared';
import type { AuthConfig } from '../config';

/** An `AuthConfig` with the production defaults and test URLs; override any field. */
export function createTestAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  const publicUrl = overrides.publicUrl ?? 'http://localhost:3000';
  return {
    publicUrl,
    authSecret: 'test-auth-secret-0123456789abcdef-0123456789abcdef',
    issuer: publicUrl,
    audience: 'switchyard-api',
    accessTokenTtlSeconds: 600,
    sessionIdleTimeoutSeconds: 43_200,
    sessionAbsoluteLifetimeSeconds: 2_592_000,
    reauthenticationWindowSeconds: 600,
    emailTokenTtlSeconds: 600,
    invitationTtlSeconds: 7 * 24 * 3600,
    cookieSecure: true,
    mail: { from: 'Switchyard <no-reply@switchyard.test>', devMailbox: true },
    oauth: { providers: [] },
    ...overrides,
  };
}

/**
 * A Redis client whose keys all start with a unique `test:<random>:` prefix (also used for the
 * session revocation channel), so parallel test files never see each other's data.
 * Close it with `closeTestRedis`.
 */
export function createTestRedis(url = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL): Redis {
  return new Redis(url, {
    keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
    maxRetriesPerRequest: 2,
    lazyConnect: false,
  });
}

/** Deletes every key under the client's prefix, then disconnects. */
export async function closeTestRedis(redis: Redis): Promise<void> {
  const prefix = redis.options.keyPrefix;
  if (prefix) {
    // SCAN/DEL through a prefix-less duplicate: SCAN returns full key names.
    const raw = redis.duplicate({ keyPrefix: '' });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await raw.del(...keys);
      } while (cursor !== '0');
    } finally {
      raw.disconnect();
    }
  }
  redis.disconnect();
}

/** A logger that writes nothing unless `LOG_LEVEL` is set for debugging. */
export function createTestLogger(): Logger {
  return createLogger({ name: 'test', level: process.env.LOG_LEVEL ?? 'silent' });
}

export type TestClock = {
  now: () => Date;
  /** Moves the clock forward by `seconds`. */
  advance: (seconds: number) => void;
  set: (date: Date) => void;
};

/** A controllable clock for `AuthDeps.now`; starts at the real current time by default. */
export function createTestClock(start: Date = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}
