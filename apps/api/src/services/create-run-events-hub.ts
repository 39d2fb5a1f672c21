import { runEventsChannel, type PublishedRunEvent } from '@switchyard/agents';
import { createRedis, type Logger } from '@switchyard/shared';

export type RunEventListener = (event: PublishedRunEvent) => void;

/**
 * Live run events for this api instance: one dedicated Redis subscriber connection (a
 * subscribed connection can run no other command), shared by every SSE stream, subscribed to a
 * run's channel while at least one stream of that run is open.
 */
export type RunEventsHub = {
  /** Resolves once Redis confirmed the subscription; the returned function ends it. */
  subscribe(runId: string, listener: RunEventListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export function createRunEventsHub(options: { redisUrl: string; log: Logger }): RunEventsHub {
  const listeners = new Map<string, Set<RunEventListener>>();
  let subscriber: ReturnType<typeof createRedis> | null = null;

  const connect = () => {
    if (subscriber) return subscriber;
    const client = createRedis(options.redisUrl, { name: 'switchyard-api-run-events' });
    client.on('error', (error: Error) => {
      options.log.warn(
        { err: error },
        'run events subscriber error; streams catch up from Postgres',
      );
    });
    client.on('message', (channel: string, message: string) => {
      const channelListeners = listeners.get(channel);
      if (!channelListeners) return;
      let event: PublishedRunEvent;
      try {
        event = JSON.parse(message) as PublishedRunEvent;
      } catch {
        return;
      }
      for (const listener of channelListeners) listener(event);
    });
    subscriber = client;
    return client;
  };

  return {
    async subscribe(runId, listener) {
      const channel = runEventsChannel(runId);
      const client = connect();
      let channelListeners = listeners.get(channel);
      if (!channelListeners) {
        channelListeners = new Set();
        listeners.set(channel, channelListeners);
      }
      channelListeners.add(listener);
      // Subscribing again is harmless and confirms the subscription for this caller.
      await client.subscribe(channel);
      return async () => {
        const current = listeners.get(channel);
        if (!current) return;
        current.delete(listener);
        if (current.size > 0) return;
        listeners.delete(channel);
        await client.unsubscribe(channel).catch(() => undefined);
      };
    },
    async close() {
      listeners.clear();
      const client = subscriber;
      subscriber = null;
      if (!client) return;
      if (client.status === 'ready') await client.quit().catch(() => undefined);
      client.disconnect();
    },
  };
}
