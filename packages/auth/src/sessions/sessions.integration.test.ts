import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createUser,
  getSessionById,
  listRefreshTokensBySessionId,
  type DatabaseHandle,
} from '@switchyard/database';
import { createTestDatabase, type TestDatabase } from '@switchyard/database/testing';
import { AppError, type Redis } from '@switchyard/shared';
import type { AuthConfig, AuthDeps } from '../config';
import { hashToken } from '../crypto';
import {
  closeTestRedis,
  createTestAuthConfig,
  createTestClock,
  createTestLogger,
  createTestRedis,
  type TestClock,
} from '../testing';
import { verifyAccessToken } from '../tokens';
import { createSession } from './create-session';
import { getActiveSession } from './get-active-session';
import { listSessions } from './list-sessions';
import { refreshSession } from './refresh-session';
import { revokeAllSessions } from './revoke-all-sessions';
import { revokeSession } from './revoke-session';
import { readRedisSession, toActiveSession, writeRedisSession } from './session-cache';
import {
  startSessionRevocationListener,
  type SessionRevocationListener,
} from './start-session-revocation-listener';

const log = createTestLogger();
let testDb: TestDatabase;
let redis: Redis;
let config: AuthConfig;

beforeAll(async () => {
  testDb = await createTestDatabase();
  redis = createTestRedis();
  config = createTestAuthConfig();
});

afterAll(async () => {
  await closeTestRedis(redis);
  await testDb.drop();
});

function makeDeps(clock?: TestClock, overrides: Partial<AuthDeps> = {}): AuthDeps {
  return { db: testDb.db, redis, log, config, now: clock?.now, ...overrides };
}

async function createTestUser(): Promise<string> {
  const user = await createUser(testDb.db, {
    email: `${randomUUID()}@example.test`,
    name: 'Test User',
  });
  return user.id;
}

async function startSession(deps: AuthDeps, userAgent = 'curl/8.5.0') {
  const userId = await createTestUser();
  const tokens = await createSession(
    { userId, method: 'password', twoFactorVerified: false, ip: '203.0.113.7', userAgent },
    deps,
  );
  return { userId, ...tokens };
}

/** Audit events about one target, oldest first (camel-cased like the schema's columns). */
async function auditEventsFor(targetId: string) {
  const { rows } = await testDb.pool.query<{
    action: string;
    actorUserId: string | null;
    ip: string | null;
    metadata: Record<string, unknown>;
  }>(
    `select action, actor_user_id as "actorUserId", host(ip) as ip, metadata
       from audit_log where target_id = $1 order by created_at`,
    [targetId],
  );
  return rows;
}

async function expectUnauthenticated(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHENTICATED');
}

describe('createSession', () => {
  it('issues an access token for the session and a 256-bit refresh token stored only hashed', async () => {
    const clock = createTestClock();
    const deps = makeDeps(clock);
    const result = await startSession(deps);

    await expect(verifyAccessToken(result.accessToken, deps)).resolves.toMatchObject({
      userId: result.userId,
      sessionId: result.session.id,
    });
    expect(Buffer.from(result.refreshToken, 'base64url').length).toBe(32);
    const stored = await listRefreshTokensBySessionId(testDb.db, { sessionId: result.session.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toBe(hashToken(result.refreshToken));
    expect(JSON.stringify(stored)).not.toContain(result.refreshToken);

    const now = clock.now().getTime();
    expect(result.session.expiresAt.getTime()).toBe(
      now + config.sessionAbsoluteLifetimeSeconds * 1000,
    );
    expect(result.refreshTokenExpiresAt.getTime()).toBe(
      now + config.sessionIdleTimeoutSeconds * 1000,
    );
    expect(result.accessTokenExpiresAt.getTime()).toBeLessThanOrEqual(
      now + config.accessTokenTtlSeconds * 1000,
    );
  });
});

describe('refreshSession', () => {
  it('rotates: the new refresh token works and the session is kept', async () => {
    const deps = makeDeps(createTestClock());
    const first = await startSession(deps);
    const second = await refreshSession(first.refreshToken, { ip: '203.0.113.8' }, deps);
    expect(second.session.id).toBe(first.session.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.session.ip).toBe('203.0.113.8');
    await expect(verifyAccessToken(second.accessToken, deps)).resolves.toMatchObject({
      sessionId: first.session.id,
    });
    const third = await refreshSession(second.refreshToken, {}, deps);
    expect(third.session.id).toBe(first.session.id);
  });

  it('revokes the whole family when a used refresh token is presented again', async () => {
    const deps = makeDeps(createTestClock());
    const first = await startSession(deps);
    const second = await refreshSession(first.refreshToken, {}, deps);

    await expectUnauthenticated(refreshSession(first.refreshToken, { ip: '198.51.100.1' }, deps));
    // The newest token of the family fails as well, and so does the session's access token.
    await expectUnauthenticated(refreshSession(second.refreshToken, {}, deps));
    expect(await getActiveSession(first.session.id, deps)).toBeNull();
    const row = await getSessionById(testDb.db, { sessionId: first.session.id });
    expect(row?.revokedReason).toBe('refresh_token_reuse');
    const events = await auditEventsFor(first.session.id);
    expect(events.map((event) => event.action)).toEqual(['session.revoked']);
    expect(JSON.stringify(events)).not.toContain(first.refreshToken);
  });

  it('refuses an unknown token', async () => {
    await expectUnauthenticated(refreshSession('x'.repeat(43), {}, makeDeps()));
    await expectUnauthenticated(refreshSession('short', {}, makeDeps()));
  });

  it('enforces the idle timeout', async () => {
    const clock = createTestClock();
    const deps = makeDeps(clock);
    const first = await startSession(deps);
    clock.advance(config.sessionIdleTimeoutSeconds - 60);
    const second = await refreshSession(first.refreshToken, {}, deps);
    clock.advance(config.sessionIdleTimeoutSeconds + 1);
    await expectUnauthenticated(refreshSession(second.refreshToken, {}, deps));
    expect(await getActiveSession(first.session.id, deps)).toBeNull();
  });

  it('enforces the absolute lifetime however active the session is', async () => {
    const clock = createTestClock();
    const shortConfig = createTestAuthConfig({
      sessionIdleTimeoutSeconds: 3600,
      sessionAbsoluteLifetimeSeconds: 3 * 3600,
    });
    const deps = makeDeps(clock, { config: shortConfig });
    const first = await startSession(deps);
    let refreshToken = first.refreshToken;
    for (let elapsed = 0; elapsed < 3 * 3600 - 3000; elapsed += 2400) {
      clock.advance(2400);
      const next = await refreshSession(refreshToken, {}, deps);
      expect(next.refreshTokenExpiresAt.getTime()).toBeLessThanOrEqual(
        first.session.expiresAt.getTime(),
      );
      refreshToken = next.refreshToken;
      expect(await getActiveSession(first.session.id, deps)).not.toBeNull();
    }
    clock.set(new Date(first.session.expiresAt.getTime() + 1000));
    await expectUnauthenticated(refreshSession(refreshToken, {}, deps));
    expect(await getActiveSession(first.session.id, deps)).toBeNull();
  });
});

describe('getActiveSession', () => {
  it('returns the active session and touches lastSeenAt at most once a minute', async () => {
    const clock = createTestClock();
    const deps = makeDeps(clock);
    const { session } = await startSession(deps);
    const createdAt = session.lastSeenAt.getTime();

    clock.advance(30);
    expect(await getActiveSession(session.id, deps)).toMatchObject({ id: session.id });
    expect((await getSessionById(testDb.db, { sessionId: session.id }))?.lastSeenAt.getTime()).toBe(
      createdAt,
    );

    clock.advance(31);
    const touched = await getActiveSession(session.id, deps);
    expect(touched?.lastSeenAt.getTime()).toBe(clock.now().getTime());
    expect((await getSessionById(testDb.db, { sessionId: session.id }))?.lastSeenAt.getTime()).toBe(
      clock.now().getTime(),
    );
  });

  it('keeps a session alive through requests: idle counts from the last request', async () => {
    const clock = createTestClock();
    const deps = makeDeps(clock);
    const { session } = await startSession(deps);
    // Cache it in Redis with the first lastSeenAt, then keep using it.
    await getActiveSession(session.id, deps);
    clock.advance(config.sessionIdleTimeoutSeconds - 120);
    expect(await getActiveSession(session.id, deps)).not.toBeNull();
    clock.advance(config.sessionIdleTimeoutSeconds - 120);
    expect(await getActiveSession(session.id, deps)).not.toBeNull();
    clock.advance(config.sessionIdleTimeoutSeconds + 1);
    expect(await getActiveSession(session.id, deps)).toBeNull();
  });

  it('returns null for unknown and malformed ids', async () => {
    expect(await getActiveSession(randomUUID(), makeDeps())).toBeNull();
    expect(await getActiveSession('not-a-uuid', makeDeps())).toBeNull();
  });
});

describe('revokeSession / revokeAllSessions / listSessions', () => {
  it('revokes a session at once and audits it; another user cannot', async () => {
    const deps = makeDeps();
    const { userId, session } = await startSession(deps);
    const intruder = await createTestUser();
    expect(await getActiveSession(session.id, deps)).not.toBeNull();

    const notFound = await revokeSession(
      { sessionId: session.id, userId: intruder, reason: 'user_revoked' },
      deps,
    ).catch((error: unknown) => error);
    expect((notFound as AppError).code).toBe('NOT_FOUND');
    expect(await getActiveSession(session.id, deps)).not.toBeNull();

    await revokeSession(
      {
        sessionId: session.id,
        userId,
        reason: 'logout',
        actor: { userId, ip: '203.0.113.9', userAgent: 'curl/8.5.0' },
      },
      deps,
    );
    expect(await getActiveSession(session.id, deps)).toBeNull();
    // Idempotent.
    await revokeSession({ sessionId: session.id, userId, reason: 'logout' }, deps);
    const events = await auditEventsFor(session.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'auth.logout',
      actorUserId: userId,
      ip: '203.0.113.9',
    });
  });

  it('revokes every session but the one kept, and lists only active ones', async () => {
    const deps = makeDeps();
    const first = await startSession(
      deps,
      'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
    );
    const second = await createSession(
      {
        userId: first.userId,
        method: 'password',
        twoFactorVerified: true,
        userAgent: 'curl/8.5.0',
      },
      deps,
    );
    const third = await createSession(
      { userId: first.userId, method: 'oauth:github', twoFactorVerified: false },
      deps,
    );
    const listed = await listSessions(
      { userId: first.userId, currentSessionId: first.session.id },
      deps,
    );
    expect(listed).toHaveLength(3);
    expect(listed.find((item) => item.id === first.session.id)).toMatchObject({
      current: true,
      device: 'Firefox on Linux',
      ip: '203.0.113.7',
    });
    expect(listed.filter((item) => item.current)).toHaveLength(1);

    await expect(
      revokeAllSessions(
        { userId: first.userId, except: first.session.id, reason: 'logout_all' },
        deps,
      ),
    ).resolves.toEqual({ revokedCount: 2 });
    expect(await getActiveSession(second.session.id, deps)).toBeNull();
    expect(await getActiveSession(third.session.id, deps)).toBeNull();
    expect(await getActiveSession(first.session.id, deps)).not.toBeNull();
    await expectUnauthenticated(refreshSession(second.refreshToken, {}, deps));
    expect((await listSessions({ userId: first.userId }, deps)).map((item) => item.id)).toEqual([
      first.session.id,
    ]);
    const [event] = await auditEventsFor(first.userId);
    expect(event).toMatchObject({ action: 'session.revoked_all', metadata: { count: 2 } });
  });
});

describe('revocation across api instances', () => {
  let otherDb: DatabaseHandle;
  let redisA: Redis;
  let redisB: Redis;
  let listenerA: SessionRevocationListener;
  let listenerB: SessionRevocationListener;
  const revokedOnB: string[][] = [];

  beforeAll(async () => {
    otherDb = createDatabase({ url: testDb.url, max: 2 });
    // Two clients of one Redis (same key prefix), as two api processes would have.
    redisA = redis.duplicate();
    redisB = redis.duplicate();
    listenerA = startSessionRevocationListener({ redis: redisA, log });
    listenerB = startSessionRevocationListener(
      { redis: redisB, log },
      { onRevoked: (ids) => revokedOnB.push(ids) },
    );
    await Promise.all([listenerA.subscribed(), listenerB.subscribed()]);
  });

  afterAll(async () => {
    await listenerA.close();
    await listenerB.close();
    redisA.disconnect();
    redisB.disconnect();
    await otherDb.close();
  });

  it('refuses on instance B the very next request after a revocation on instance A', async () => {
    const depsA = makeDeps(undefined, { redis: redisA });
    const depsB = makeDeps(undefined, { redis: redisB, db: otherDb.db });
    const { userId, session } = await startSession(depsA);
    expect(await getActiveSession(session.id, depsB)).not.toBeNull();

    // Proof that B answers from memory: a change made behind the caches' back goes unseen.
    await testDb.pool.query('update sessions set revoked_at = now() where id = $1', [session.id]);
    await redis.del(`sess:${session.id}`);
    expect(await getActiveSession(session.id, depsB)).not.toBeNull();

    // The real revocation, on A, reaches B's memory before it resolves.
    await revokeSession({ sessionId: session.id, userId, reason: 'user_revoked' }, depsA);
    expect(await getActiveSession(session.id, depsB)).toBeNull();
    expect(revokedOnB).toContainEqual([session.id]);
  });

  it('does the same for revokeAllSessions', async () => {
    const depsA = makeDeps(undefined, { redis: redisA });
    const depsB = makeDeps(undefined, { redis: redisB, db: otherDb.db });
    const { userId, session } = await startSession(depsA);
    expect(await getActiveSession(session.id, depsB)).not.toBeNull();
    await revokeAllSessions({ userId, reason: 'password_changed' }, depsA);
    expect(await getActiveSession(session.id, depsB)).toBeNull();
  });

  it('is exact without a listener too (Redis and the database only)', async () => {
    const deps = makeDeps();
    const { userId, session } = await startSession(deps);
    expect(await getActiveSession(session.id, deps)).not.toBeNull();
    await revokeSession({ sessionId: session.id, userId, reason: 'user_revoked' }, deps);
    expect(await getActiveSession(session.id, deps)).toBeNull();
  });

  it('never lets a late cache write resurrect a revoked session', async () => {
    const deps = makeDeps();
    const { userId, session } = await startSession(deps);
    const before = await getSessionById(testDb.db, { sessionId: session.id });
    if (!before) throw new Error('session row missing');
    await revokeSession({ sessionId: session.id, userId, reason: 'user_revoked' }, deps);
    // A request that read the row before the revocation writes its copy afterwards.
    await writeRedisSession(redis, toActiveSession(before), new Date(), log);
    expect(await readRedisSession(redis, session.id, log)).toBe('revoked');
    expect(await getActiveSession(session.id, deps)).toBeNull();
  });

  it('stops answering from memory once the listener is closed', async () => {
    const redisC = redis.duplicate();
    const listener = startSessionRevocationListener({ redis: redisC, log });
    await listener.subscribed();
    const deps = makeDeps(undefined, { redis: redisC });
    const { session } = await startSession(deps);
    expect(await getActiveSession(session.id, deps)).not.toBeNull();
    await listener.close();
    await testDb.pool.query('update sessions set revoked_at = now() where id = $1', [session.id]);
    await redis.del(`sess:${session.id}`);
    expect(await getActiveSession(session.id, deps)).toBeNull();
    redisC.disconnect();
  });
});
