import type { MembershipRole } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';
import { broadcastInvalidation, getLiveLocalCache } from '../sessions/session-cache';
import { LruCache } from '../tokens/lru-cache';
import type { PublicUser } from './public-user';

/** `GET /v1/me`: the user, their orgs and the state of their second factor. */
export type Profile = {
  user: PublicUser;
  memberships: Array<{
    orgId: string;
    role: MembershipRole;
    organization: { id: string; name: string; slug: string; personal: boolean };
  }>;
  /** False for accounts that only sign in through an identity provider. */
  hasPassword: boolean;
  twoFactorEnabled: boolean;
  recoveryCodesRemaining: number;
};

/*
 * Profiles are cached in process, like active sessions (see sessions/session-cache.ts), so that
 * `GET /v1/me` needs no database query at all: one query costs more than the whole rest of the
 * request. Every service that changes what a profile shows calls `invalidateProfiles` after its
 * transaction committed; that drops the entries here at once and on every other instance
 * before it resolves (the session revocation channel and its acknowledgements). Entries are
 * used only while this process is subscribed to that channel, and expire after PROFILE_TTL_MS
 * in any case, which bounds the staleness should a writer ever forget to invalidate.
 */
const PROFILE_TTL_MS = 30_000;
const MAX_PROFILES = 10_000;

type Entry = { profile: Profile; cachedAtMs: number };
type ProfileStore = {
  entries: LruCache<string, Entry>;
  /** Bumped by every invalidation; a load that started earlier must not fill the cache. */
  generation: number;
};

// Keyed by the Redis client, like the session cache: one store per api instance.
const stores = new WeakMap<Redis, ProfileStore>();

function getStore(redis: Redis): ProfileStore {
  let store = stores.get(redis);
  if (!store) {
    store = { entries: new LruCache(MAX_PROFILES), generation: 0 };
    stores.set(redis, store);
  }
  return store;
}

/** The cached profile of `userId`, or null (none, expired, or the cache is off). */
export function readCachedProfile(redis: Redis, userId: string): Profile | null {
  if (!getLiveLocalCache(redis)) return null;
  const store = getStore(redis);
  const entry = store.entries.get(userId);
  if (!entry) return null;
  if (performance.now() - entry.cachedAtMs >= PROFILE_TTL_MS) {
    store.entries.delete(userId);
    return null;
  }
  return entry.profile;
}

/** Read before loading a profile from the database; pass it to `cacheProfile`. */
export function getProfileGeneration(redis: Redis): number {
  return getStore(redis).generation;
}

/**
 * Caches a loaded profile unless an invalidation happened since `generation` was read. The
 * profile is deep-frozen first: it is shared by every request that reads it, and a frozen answer
 * is serialized only once (see the API's frozen-payload serializer).
 */
export function cacheProfile(redis: Redis, generation: number, profile: Profile): Profile {
  const frozen = deepFreeze(profile);
  const store = getStore(redis);
  if (!getLiveLocalCache(redis) || store.generation !== generation) return frozen;
  store.entries.set(profile.user.id, { profile: frozen, cachedAtMs: performance.now() });
  return frozen;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export type ProfileInvalidation = {
  /** Users whose own data changed (name, e-mail, second factor, memberships). */
  userIds?: string[];
  /** Orgs that changed (renamed, deleted): the profile of every member. */
  orgIds?: string[];
};

/** Drops cached profiles in this process (the revocation listener calls it for every message). */
export function forgetCachedProfiles(redis: Redis, invalidation: ProfileInvalidation): void {
  const store = stores.get(redis);
  if (!store) return;
  store.generation += 1;
  for (const userId of invalidation.userIds ?? []) store.entries.delete(userId);
  const orgIds = new Set(invalidation.orgIds ?? []);
  if (orgIds.size === 0) return;
  for (const [userId, entry] of store.entries.entries()) {
    if (entry.profile.memberships.some((membership) => orgIds.has(membership.orgId))) {
      store.entries.delete(userId);
    }
  }
}

/** Empties this process's profile cache (the revocation subscription was lost). */
export function clearCachedProfiles(redis: Redis): void {
  const store = stores.get(redis);
  if (!store) return;
  store.entries.clear();
  store.generation += 1;
}

/**
 * Makes every instance forget the given profiles before it resolves. Call it after the change
 * committed. A Redis failure is logged, not thrown: the change itself succeeded, and other
 * instances lose their caches anyway while they cannot hear from Redis.
 */
export async function invalidateProfiles(
  invalidation: ProfileInvalidation,
  deps: { redis: Redis; log: Logger },
): Promise<void> {
  const userIds = invalidation.userIds ?? [];
  const orgIds = invalidation.orgIds ?? [];
  if (userIds.length === 0 && orgIds.length === 0) return;
  forgetCachedProfiles(deps.redis, { userIds, orgIds });
  try {
    await broadcastInvalidation({ sessionIds: [], userIds, orgIds }, deps);
  } catch (error) {
    deps.log.error({ err: error }, 'invalidating cached profiles in Redis failed');
  }
}
