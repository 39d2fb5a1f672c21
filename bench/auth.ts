/**
 * `npm run bench:auth`: an authenticated `GET /v1/me` on `buildApp()` against a bare Fastify
 * route, in the same run, with p50/p99 latency. The target: at least 40 % of bare
 * Fastify's throughput. Every request pays the access-token check (verified-token cache), the
 * session check (in-process session cache, exact on revocation), the per-principal API rate limit
 * of every authenticated route (`plugins/principal-rate-limit.ts`, in-process; raised here so the
 * single benchmark user is counted on every request but never refused; the Redis-backed limits
 * of `plugins/rate-limits.ts` are on other routes), the profile read (in-process
 * profile cache) and one log line. A real user signs up, verifies the address and logs in
 * through the API on a fresh database; the load uses that user's access token in
 * `Authorization: Bearer`. Each server runs in its own process, apart from the load generator.
 * Writes bench/results/auth.json.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createDatabase, listMailMessages } from '@switchyard/database';
import { createTestDatabase } from '@switchyard/database/testing';
import { createLogger, DEFAULT_REDIS_URL, Redis } from '@switchyard/shared';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/env';
import { serveBenchTarget } from './lib/bench-server';
import { measureTargets, readArg, readServeTarget, type LoadOptions } from './lib/measure';
import { describeLoad, printRows, round2, writeReport } from './lib/report';

const LOAD: LoadOptions = { connections: 50, warmupSeconds: 2, rounds: 3, roundSeconds: 4 };
/** The target: `GET /v1/me` at 40 % or more of bare Fastify's throughput. */
const TARGET_RATIO = 0.4;
const SCRIPT = fileURLToPath(import.meta.url);
const RESULTS_FILE = fileURLToPath(new URL('./results/auth.json', import.meta.url));
const TARGETS = ['bare', 'me'] as const;
type Target = (typeof TARGETS)[number];

function buildBareApp(): FastifyInstance {
  const app = Fastify();
  app.get('/v1/me', async () => ({ status: 'ok' }));
  return app;
}

function expectStatus(
  response: { statusCode: number; body: string },
  status: number,
  step: string,
) {
  if (response.statusCode !== status) {
    throw new Error(`${step}: expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
}

/** Signs a user up, follows the e-mailed link and logs in; returns the access token. */
async function signUpAndLogIn(
  app: FastifyInstance,
  readLatestMail: (email: string) => Promise<string>,
): Promise<string> {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = `bench passphrase ${randomBytes(8).toString('hex')}`;
  const payload = { email, password, name: 'Bench User' };
  expectStatus(
    await app.inject({ method: 'POST', url: '/v1/auth/signup', payload }),
    202,
    'sign-up',
  );
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(await readLatestMail(email))?.[1];
  if (!token) throw new Error('the verification e-mail has no link');
  expectStatus(
    await app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } }),
    200,
    'e-mail verification',
  );
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
  });
  expectStatus(login, 200, 'login');
  return login.json<{ accessToken: string }>().accessToken;
}

/** Deletes every key under the client's prefix, then disconnects. */
async function dropRedisKeys(redis: Redis): Promise<void> {
  const prefix = redis.options.keyPrefix ?? '';
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
    redis.disconnect();
  }
}

/** The API in production settings on the benchmark's database and a key-prefixed Redis. */
async function serveMe(databaseUrl: string): Promise<void> {
  const config = loadApiConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUTH_SECRET: randomBytes(48).toString('base64'),
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    // Counted on every request like production's 600, but one user's load must not meet it.
    API_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
  });
  // Production's logger: a line per request to stdout, which the benchmark points at /dev/null.
  const logger = createLogger({ name: 'api', level: config.logLevel });
  const database = createDatabase({ url: databaseUrl, max: config.databasePoolMax, log: logger });
  const redis = new Redis(config.redisUrl, {
    keyPrefix: `bench:${randomBytes(6).toString('hex')}:`,
    maxRetriesPerRequest: 2,
  });
  const app = await buildApp(config, { database, redis, logger });
  await app.ready();
  // In production the subscription is up moments after boot; from then on sessions are
  // answered from memory.
  await app.sessionRevocationListener.subscribed();
  const accessToken = await signUpAndLogIn(app, async (email) => {
    const [message] = await listMailMessages(database.db, { limit: 1, to: email });
    return message?.text ?? '';
  });
  expectStatus(
    await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    }),
    200,
    'GET /v1/me',
  );
  await serveBenchTarget({
    app,
    path: '/v1/me',
    headers: { authorization: `Bearer ${accessToken}` },
    cleanup: async () => {
      await database.close();
      await dropRedisKeys(redis);
    },
  });
}

async function serve(target: Target): Promise<void> {
  if (target === 'bare') {
    await serveBenchTarget({ app: buildBareApp(), path: '/v1/me' });
    return;
  }
  const databaseUrl = readArg('database-url');
  if (!databaseUrl) throw new Error('--database-url is required');
  await serveMe(databaseUrl);
}

async function main(): Promise<void> {
  const database = await createTestDatabase({ max: 1 });
  try {
    const [bare, me] = await measureTargets(
      SCRIPT,
      [{ name: 'bare' }, { name: 'me', args: ['--database-url', database.url] }],
      LOAD,
    );
    if (!bare || !me) throw new Error('a benchmark target produced no figures');
    const ratio = me.requestsPerSecond / bare.requestsPerSecond;
    const cpuRatio = bare.cpuMicrosPerRequest / me.cpuMicrosPerRequest;
    printRows(describeLoad(LOAD), [
      { ...bare, label: 'bare fastify GET /v1/me' },
      { ...me, label: 'buildApp() GET /v1/me (Bearer)' },
    ]);
    console.log(
      `\nme/bare throughput ratio: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO.toFixed(2)})`,
    );
    console.log(
      `bare/me CPU-per-request ratio: ${cpuRatio.toFixed(2)} (less sensitive to other load)`,
    );
    if (me.errors + me.non2xx > 0) {
      console.log(`warning: ${me.errors} errors and ${me.non2xx} non-2xx answers from GET /v1/me`);
    }
    writeReport(RESULTS_FILE, LOAD, {
      results: { bare, me },
      ratio: round2(ratio),
      cpuRatio: round2(cpuRatio),
      targetRatio: TARGET_RATIO,
      meetsTarget: ratio >= TARGET_RATIO,
    });
  } finally {
    await database.drop();
  }
}

const serveTarget = readServeTarget(TARGETS);
if (serveTarget) {
  await serve(serveTarget);
} else {
  await main();
}
