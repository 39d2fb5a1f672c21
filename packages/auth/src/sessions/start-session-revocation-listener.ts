import { clearCachedProfiles, forgetCachedProfiles } from '../accounts/profile-cache';
import type { AuthDeps } from '../config';
import {
  acknowledgeRevocation,
  forgetLocal,
  parseRevocationMessage,
  registerLocalCache,
  revocationChannel,
  unregisterLocalCache,
} from './session-cache';

export type SessionRevocationListener = {
  /**
   * Resolves once subscribed for the first time; until then (and while Redis is unreachable)
   * sessions are checked in Redis / PostgreSQL on every request, which is slower, never wrong.
   */
  subscribed: () => Promise<void>;
  /** Unsubscribes and disconnects; the in-process session cache is turned off. */
  close: () => Promise<void>;
};

export type StartSessionRevocationListenerOptions = {
  /** Called with the ids of sessions revoked anywhere, for example to close their WebSockets. */
  onRevoked?: (sessionIds: string[]) => void;
};

/**
 * Subscribes this process to session revocations (on a duplicate of `deps.redis`) and, while
 * subscribed, lets `getActiveSession` and `getProfile` answer from memory. Every message is
 * acknowledged after the local caches dropped its sessions and profiles, which `revokeSession`
 * and `invalidateProfiles` wait for. Losing the subscription empties and disables the
 * in-process caches until re-subscribed.
 * Returns at once: boot never waits for Redis.
 */
export function startSessionRevocationListener(
  deps: Pick<AuthDeps, 'redis' | 'log'>,
  options: StartSessionRevocationListenerOptions = {},
): SessionRevocationListener {
  const channel = revocationChannel(deps.redis);
  const log = deps.log.child({ component: 'session-revocation-listener' });
  const subscriber = deps.redis.duplicate();
  // Another listener on the same client already owns the cache; this one only acknowledges.
  const cache = registerLocalCache(deps.redis);
  let closed = false;
  let reportedError = false;
  let resolveSubscribed: () => void = () => undefined;
  const firstSubscription = new Promise<void>((resolve) => {
    resolveSubscribed = resolve;
  });

  const disable = () => {
    if (!cache) return;
    cache.live = false;
    cache.entries.clear();
    cache.generation += 1;
    clearCachedProfiles(deps.redis);
  };
  const subscribe = () => {
    subscriber.subscribe(channel).then(
      () => {
        if (closed) return;
        if (cache) cache.live = true;
        reportedError = false;
        resolveSubscribed();
      },
      (error: unknown) => {
        if (!closed) log.warn({ err: error }, 'subscribing to session revocations failed');
      },
    );
  };

  subscriber.on('message', (received: string, message: string) => {
    if (received !== channel) return;
    const parsed = parseRevocationMessage(message);
    if (!parsed) {
      log.warn('ignored a malformed session revocation message');
      return;
    }
    if (parsed.userIds || parsed.orgIds) forgetCachedProfiles(deps.redis, parsed);
    if (parsed.sessionIds.length > 0) {
      if (cache) forgetLocal(cache, parsed.sessionIds);
      try {
        options.onRevoked?.(parsed.sessionIds);
      } catch (error) {
        log.error({ err: error }, 'a session revocation handler failed');
      }
    }
    acknowledgeRevocation(deps.redis, parsed.ack).catch((error: unknown) => {
      log.warn({ err: error }, 'acknowledging a session revocation failed');
    });
  });
  // Messages published while disconnected are lost, so the cache restarts empty afterwards.
  subscriber.on('close', disable);
  subscriber.on('reconnecting', disable);
  subscriber.on('ready', () => {
    if (!closed && subscriber.status === 'ready') subscribe();
  });
  subscriber.on('error', (error: Error) => {
    if (reportedError || closed) return;
    reportedError = true;
    log.warn({ err: error }, 'session revocation subscriber lost Redis; retrying');
  });
  subscribe();

  return {
    subscribed: () => firstSubscription,
    close: async () => {
      if (closed) return;
      closed = true;
      disable();
      if (cache) unregisterLocalCache(deps.redis, cache);
      if (subscriber.status === 'ready') {
        await subscriber.quit().catch(() => subscriber.disconnect());
      } else {
        subscriber.disconnect();
      }
    },
  };
}
