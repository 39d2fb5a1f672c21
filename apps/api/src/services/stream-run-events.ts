import { toPublishedRunEvent, type PublishedRunEvent } from '@switchyard/agents';
import {
  getRun,
  listRunEvents,
  TERMINAL_RUN_STATUSES,
  type Database,
  type RunStatus,
} from '@switchyard/database';
import type { Logger } from '@switchyard/shared';
import type { RunEventsHub } from './create-run-events-hub';

/** Events read from Postgres per query while catching up. */
const REPLAY_PAGE = 500;
const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(TERMINAL_RUN_STATUSES);
const TERMINAL_EVENT_TYPES = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

export type RunEventsStream = {
  /** Settles when the stream ended: the run finished and every event was sent, or `stop`. */
  finished: Promise<void>;
  /** Ends the stream (the client went away or the server is closing). */
  stop(): Promise<void>;
};

/**
 * Delivers a run's events after `afterSeq` exactly once and in order: subscribes to the run's
 * Redis channel first, then replays from Postgres; live events are handled after the replay (one
 * task at a time), those already sent are dropped and a gap (a lost publish) is filled from
 * Postgres. Every `heartbeatMs` it sends a heartbeat and catches up from Postgres. Ends once the
 * run is terminal and its last event was sent. Null when the run is not the org's.
 */
export async function streamRunEvents(
  params: {
    orgId: string;
    runId: string;
    afterSeq: number;
    send: (event: PublishedRunEvent) => void;
    heartbeat: () => void;
  },
  deps: { db: Database; hub: RunEventsHub; log: Pick<Logger, 'warn'>; heartbeatMs: number },
): Promise<RunEventsStream | null> {
  const key = { orgId: params.orgId, runId: params.runId };
  if (!(await getRun(deps.db, key))) return null;

  let lastSeq = params.afterSeq;
  let stopped = false;
  let resolveFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  let tasks: Promise<void> = Promise.resolve();
  let unsubscribe: (() => Promise<void>) | null = null;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    const release = unsubscribe;
    unsubscribe = null;
    if (release) await release();
    resolveFinished();
  };

  const deliver = (event: PublishedRunEvent) => {
    if (stopped || event.seq <= lastSeq) return;
    params.send(event);
    lastSeq = event.seq;
  };

  const catchUp = async () => {
    for (;;) {
      const page = await listRunEvents(deps.db, { ...key, afterSeq: lastSeq, limit: REPLAY_PAGE });
      for (const event of page) deliver(toPublishedRunEvent(event));
      if (page.length < REPLAY_PAGE || stopped) return;
    }
  };

  const endIfFinished = async () => {
    const run = await getRun(deps.db, key);
    if (!run || !TERMINAL_STATUSES.has(run.status)) return;
    // The terminal status and its event commit together; anything later is read here too.
    await catchUp();
    await stop();
  };

  const schedule = (task: () => Promise<void>) => {
    tasks = tasks.then(async () => {
      if (stopped) return;
      try {
        await task();
      } catch (error) {
        // The client reconnects with Last-Event-ID and misses nothing.
        deps.log.warn({ err: error, runId: params.runId }, 'run event stream failed; ending it');
        await stop();
      }
    });
  };

  const onLive = (event: PublishedRunEvent) => {
    schedule(async () => {
      if (event.seq <= lastSeq) return;
      if (event.seq === lastSeq + 1) deliver(event);
      else await catchUp();
      if (TERMINAL_EVENT_TYPES.has(event.type)) await endIfFinished();
    });
  };

  // Subscribe before replaying: an event committed meanwhile arrives live and is deduplicated.
  unsubscribe = await deps.hub.subscribe(params.runId, onLive);
  schedule(async () => {
    await catchUp();
    await endIfFinished();
  });
  // Declared last; `stop` (which clears it) only runs from tasks scheduled after this line.
  const timer = setInterval(() => {
    if (stopped) return;
    params.heartbeat();
    schedule(async () => {
      await catchUp();
      await endIfFinished();
    });
  }, deps.heartbeatMs);
  timer.unref();

  return { finished, stop };
}
