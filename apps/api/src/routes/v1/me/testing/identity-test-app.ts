import { createHmac } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import {
  closeTestRedis,
  createTestClock,
  createTestRedis,
  type TestClock,
} from '@switchyard/auth/testing';
import { listMailMessages, type MailMessage } from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { createLogger, type Redis } from '@switchyard/shared';
import { buildApp, type App, type AppDeps } from '../../../../app';
import { createTestConfig, LOCAL_REDIS_URL } from '../../../../testing/test-app';

export const TEST_PUBLIC_URL = 'https://app.switchyard.test';
export const PASSWORD = 'a sturdy passphrase 42';

/** The API on a fresh database and a key-prefixed Redis, with a controllable clock. */
export type IdentityTestApp = {
  app: App;
  database: TestDatabase;
  redis: Redis;
  clock: TestClock;
  close: () => Promise<void>;
};

export type IdentityTestAppOptions = Pick<AppDeps, 'rateLimits' | 'throttle'>;

/**
 * The app under test. Rate limits and login delays are the production ones unless `options`
 * replaces some (tests of other behaviour that need many attempts, or tests of the limits).
 */
export async function createIdentityTestApp(
  env: Record<string, string> = {},
  options: IdentityTestAppOptions = {},
): Promise<IdentityTestApp> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const config = createTestConfig({
    DATABASE_URL: database.url,
    REDIS_URL: LOCAL_REDIS_URL,
    PUBLIC_URL: TEST_PUBLIC_URL,
    DEV_MAILBOX: 'true',
    ...env,
  });
  const app = await buildApp(config, {
    database,
    redis,
    logger: createLogger({ name: 'api', level: 'silent' }),
    ...options,
  });
  const clock = createTestClock();
  // Services and the auth plugin read the clock from the shared deps object.
  app.authDeps.now = clock.now;
  await app.ready();
  return {
    app,
    database,
    redis,
    clock,
    close: async () => {
      await app.close();
      await closeTestRedis(redis);
      await database.drop();
    },
  };
}

export function bearer(accessToken: string): { authorization: string } {
  return { authorization: `Bearer ${accessToken}` };
}

export async function latestMail(t: IdentityTestApp, email: string): Promise<MailMessage> {
  const [message] = await listMailMessages(t.database.db, { limit: 1, to: email });
  if (!message) throw new Error(`no e-mail was sent to ${email}`);
  return message;
}

/** The first link of the newest e-mail to `email`. */
export async function latestLink(t: IdentityTestApp, email: string): Promise<URL> {
  const message = await latestMail(t, email);
  const match = /https?:\/\/\S+/.exec(message.text);
  if (!match) throw new Error(`no link in the e-mail to ${email}`);
  return new URL(match[0]);
}

export async function latestToken(t: IdentityTestApp, email: string): Promise<string> {
  return (await latestLink(t, email)).searchParams.get('token') ?? '';
}

type TokenBody = { accessToken: string; refreshToken: string; user: { id: string } };

function expectStatus(response: LightMyRequestResponse, status: number): void {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
}

/** Signs up through the API, follows the verification link and logs in (token mode). */
export async function signUpAndLogIn(
  t: IdentityTestApp,
  email: string,
  password = PASSWORD,
): Promise<TokenBody> {
  expectStatus(
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email, password, name: 'Tester' },
    }),
    202,
  );
  expectStatus(
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/verify-email',
      payload: { token: await latestToken(t, email) },
    }),
    200,
  );
  return logInWithPassword(t, email, password);
}

async function logInWithPassword(
  t: IdentityTestApp,
  email: string,
  password = PASSWORD,
): Promise<TokenBody> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
  });
  expectStatus(response, 200);
  return response.json<TokenBody>();
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 6238 TOTP (SHA-1, 6 digits, 30 s) written out with node:crypto, independent of the
 * library the server uses, so the two check each other.
 */
export function totp(secretBase32: string, at: Date): string {
  let bits = '';
  for (const character of secretBase32.replace(/=+$/, '')) {
    bits += BASE32.indexOf(character).toString(2).padStart(5, '0');
  }
  const bytes = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const digest = createHmac('sha1', bytes).update(counter).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}
