import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Session } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import { LruCache } from '../tokens/lru-cache';

/**
 * What the per-request check needs of a session. Revocation is not a field: a revoked session is
 * never returned or cached as active.
 */
export type ActiveSession = {
  id: string;
  userId: string;
  /** How the session began: `password`, `oauth:<provider>`. */
  method: string;
  twoFactorVerified: boolean;
  /** When the user last proved who they are; sensitive actions need it to be recent. */
  authenticatedAt: Date;
  createdAt: Date;
  lastSeenAt: Date;
  /** Absolute end of the session. */
  expiresAt: Date;
};

/*
 * Three layers, from slow to fast:
 * - PostgreSQL: the truth.
 * - Redis `sess:<id>`: the session as JSON, or the tombstone `revoked`. Writers never overwrite a
 *   tombstone (a Lua check), so a request that read the row just before a revocation cannot
 *   re-cache the session as active afterwards.
 * - In-process LRU, used only while this process is subscribed to the revocation channel. A
 *   revocation deletes the entries everywhere and waits until every subscriber acknowledged,
 *   so once `revokeSession` resolves, no instance answers from a stale entry.
 */
const REDIS_TTL_MS = 10 * 60_000;
const TOMBSTONE = 'revoked';
// Longer than any read-then-write of a cached copy could take.
const TOMBSTONE_TTL_MS = REDIS_TTL_MS + 5 * 60_000;
/** Upper bound on staleness should a subscriber silently lose its connection. */
const LOCAL_TTL_MS = 5_000;
const LOCAL_MAX_ENTRIES = 10_000;
const ACK_TIMEOUT_MS = 2_000;
const ACK_POLL_MS = 2;

function sessionKey(sessionId: string): string {
  return `sess:${sessionId}`;
}

function ackKey(nonce: string): string {
  return `sess:revocation-ack:${nonce}`;
}

/** ioredis does not prefix channels; the key prefix keeps test runs (and tenants of one Redis) apart. */
export function revocationChannel(redis: Redis): string {
  return `${redis.options.keyPrefix ?? ''}session:revoked`;
}

export function toActiveSession(row: Session): ActiveSession {
  return {
    id: row.id,
    userId: row.userId,
    method: row.method,
    twoFactorVerified: row.twoFactorVerified,
    authenticatedAt: row.authenticatedAt,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
  };
}

const cachedSessionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  method: z.string(),
  twoFactorVerified: z.boolean(),
  authenticatedAt: z.coerce.date(),
  createdAt: z.coerce.date(),
  lastSeenAt: z.coerce.date(),
  expiresAt: z.coerce.date(),
});

// ---------------------------------------------------------------- in-process layer

type LocalEntry = { session: ActiveSession; cachedAtMs: number };

export type LocalSessionCache = {
  entries: LruCache<string, LocalEntry>;
  /** Bumped by every invalidation; a lookup that started earlier must not fill the cache. */
  generation: number;
  /** True while subscribed to the revocation channel; the cache is bypassed otherwise. */
  live: boolean;
};

// Keyed by the Redis client: each api instance has its own client and therefore its own cache.
const localCaches = new WeakMap<Redis, LocalSessionCache>();

export function registerLocalCache(redis: Redis): LocalSessionCache | null {
  if (localCaches.has(redis)) return null;
  const cache: LocalSessionCache = {
    entries: new LruCache(LOCAL_MAX_ENTRIES),
    generation: 0,
    live: false,
  };
  localCaches.set(redis, cache);
  return cache;
}

export function unregisterLocalCache(redis: Redis, cache: LocalSessionCache): void {
  if (localCaches.get(redis) === cache) localCaches.delete(redis);
}

export function getLiveLocalCache(redis: Redis): LocalSessionCache | null {
  const cache = localCaches.get(redis);
  return cache?.live ? cache : null;
}

export function readLocal(
  cache: LocalSessionCache | null,
  sessionId: string,
): ActiveSession | null {
  const entry = cache?.entries.get(sessionId);
  if (!entry) return null;
  if (performance.now() - entry.cachedAtMs >= LOCAL_TTL_MS) {
    cache?.entries.delete(sessionId);
    return null;
  }
  return entry.session;
}

/** Caches `session` unless an invalidation happened since `generation` was read. */
export function writeLocal(
  cache: LocalSessionCache | null,
  generation: number | undefined,
  session: ActiveSession,
): void {
  if (!cache?.live || cache.generation !== generation) return;
  cache.entries.set(session.id, { session, cachedAtMs: performance.now() });
}

export function forgetLocal(cache: LocalSessionCache, sessionIds: string[]): void {
  for (const id of sessionIds) cache.entries.delete(id);
  cache.generation += 1;
}

// ---------------------------------------------------------------- Redis layer

/** The cached session, `revoked`, or null when Redis holds nothing (or cannot be reached). */
export async function readRedisSession(
  redis: Redis,
  sessionId: string,
  log: Logger,
): Promise<ActiveSession | 'revoked' | null> {
  let value: string | null;
  try {
    value = await redis.get(sessionKey(sessionId));
  } catch (error) {
    log.warn({ err: error }, 'reading a cached session failed; using the database');
    return null;
  }
  if (value === null) return null;
  if (value === TOMBSTONE) return 'revoked';
  try {
    const parsed = cachedSessionSchema.safeParse(JSON.parse(value));
    return parsed.success && parsed.data.id === sessionId ? parsed.data : null;
  } catch {
    return null;
  }
}

const SET_UNLESS_TOMBSTONE = `
if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Caches the session in Redis unless it was revoked meanwhile (never overwrites a tombstone). */
export async function writeRedisSession(
  redis: Redis,
  session: ActiveSession,
  now: Date,
  log: Logger,
): Promise<void> {
  const ttlMs = Math.min(REDIS_TTL_MS, session.expiresAt.getTime() - now.getTime());
  if (ttlMs <= 0) return;
  try {
    await redis.eval(
      SET_UNLESS_TOMBSTONE,
      1,
      sessionKey(session.id),
      JSON.stringify(session),
      String(Math.ceil(ttlMs)),
      TOMBSTONE,
    );
  } catch (error) {
    log.warn({ err: error }, 'caching a session failed');
  }
}

// ---------------------------------------------------------------- invalidation

const idsSchema = z.array(z.string()).max(10_000);

/**
 * What every instance drops from its in-process caches: revoked sessions, and the cached
 * profiles (`GET /v1/me`) of users, or of every member of orgs, whose profile changed.
 */
const revocationMessageSchema = z.object({
  sessionIds: idsSchema,
  userIds: idsSchema.optional(),
  orgIds: idsSchema.optional(),
  ack: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

export type RevocationMessage = z.infer<typeof revocationMessageSchema>;

export function parseRevocationMessage(message: string): RevocationMessage | null {
  try {
    const parsed = revocationMessageSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Called by a subscriber once it dropped the sessions from its cache. */
export async function acknowledgeRevocation(redis: Redis, nonce: string): Promise<void> {
  await redis.multi().incr(ackKey(nonce)).pexpire(ackKey(nonce), 60_000).exec();
}

/**
 * Makes revoked sessions unusable on every instance: tombstones in Redis, this process's cache
 * dropped, then a message to every subscribed instance, waiting for all of them to confirm.
 * The database must already say the sessions are revoked.
 */
export async function invalidateSessions(
  sessionIds: string[],
  deps: { redis: Redis; log: Logger },
): Promise<void> {
  if (sessionIds.length === 0) return;
  const own = localCaches.get(deps.redis);
  if (own) forgetLocal(own, sessionIds);
  try {
    const pipeline = deps.redis.pipeline();
    for (const id of sessionIds) pipeline.set(sessionKey(id), TOMBSTONE, 'PX', TOMBSTONE_TTL_MS);
    await pipeline.exec();
    await broadcastInvalidation({ sessionIds }, deps);
  } catch (error) {
    // The database already refuses the sessions; cached copies expire within minutes.
    deps.log.error({ err: error }, 'invalidating revoked sessions in Redis failed');
  }
}

/**
 * Publishes an invalidation to every subscribed instance (see `startSessionRevocationListener`)
 * and waits until all of them confirmed they dropped the entries, or `ACK_TIMEOUT_MS` passed.
 * Throws when Redis fails; callers have already dropped their own process's entries.
 */
export async function broadcastInvalidation(
  invalidation: Omit<RevocationMessage, 'ack'>,
  deps: { redis: Redis; log: Logger },
): Promise<void> {
  const nonce = randomBytes(12).toString('base64url');
  const receivers = await deps.redis.publish(
    revocationChannel(deps.redis),
    JSON.stringify({ ...invalidation, ack: nonce } satisfies RevocationMessage),
  );
  const deadline = performance.now() + ACK_TIMEOUT_MS;
  while (receivers > 0) {
    const acknowledged = Number((await deps.redis.get(ackKey(nonce))) ?? 0);
    if (acknowledged >= receivers) break;
    if (performance.now() > deadline) {
      deps.log.warn(
        { receivers, acknowledged },
        'not every instance confirmed a cache invalidation; their caches expire on their own',
      );
      break;
    }
    await sleep(ACK_POLL_MS);
  }
}
