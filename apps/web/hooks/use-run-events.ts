'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { getRun, runEventsUrl } from '@/lib/api/runs';
import { runEventSchema, type RunEvent } from '@/lib/api/runtime-schemas';
import { isRunActive } from '@/lib/runs/run-status';
import {
  applyRunEvent,
  INITIAL_RUN_LIVE_STATE,
  type RunLiveState,
} from '@/lib/runs/run-live-state';

/** Every event type the api sends (SSE `event:`); EventSource only delivers named listeners. */
const RUN_EVENT_TYPES = [
  'run.queued',
  'run.started',
  'run.waiting_for_approval',
  'run.resumed',
  'run.succeeded',
  'run.failed',
  'run.cancelled',
  'run.retried',
  'step.started',
  'step.succeeded',
  'step.failed',
  'step.retrying',
  'step.waiting_for_approval',
  'plan.created',
  'plan.rejected',
  'model.delta',
  'model.completed',
  'tool.completed',
  'approval.requested',
  'approval.approved',
  'approval.rejected',
  'handoff',
  'budget.exceeded',
] as const;

/** Batches the refetches a burst of events (such as the replay on connect) would trigger. */
const REFETCH_DEBOUNCE_MS = 150;
const MAX_RETRY_DELAY_MS = 15_000;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

type Action = { event: RunEvent; receivedAt: number };

function reducer(state: RunLiveState, action: Action): RunLiveState {
  return applyRunEvent(state, action.event, action.receivedAt);
}

/**
 * Follows a run's SSE stream with the browser's `EventSource` (which resends `Last-Event-ID`
 * itself when it reconnects); events are applied once each, in order. `onChange` is called
 * (debounced) after events that change the step tree, so the caller refetches the run. The stream
 * is closed once the run has ended; `resume()` opens it again after the last applied event (for a
 * retried run). A refused stream (an expired session) is reopened after the session is refreshed.
 */
export function useRunEvents(orgId: string, runId: string, onChange: () => void) {
  const [state, dispatch] = useReducer(reducer, INITIAL_RUN_LIVE_STATE);
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [generation, setGeneration] = useState(0);
  // Read by the stream's handlers, which outlive renders; written only by those handlers.
  const lastSeq = useRef(0);
  const liveStatus = useRef<RunLiveState['status']>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    let closed = false;
    let failures = 0;
    let source: EventSource | null = null;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const scheduleRefetch = () => {
      clearTimeout(refetchTimer);
      refetchTimer = setTimeout(() => onChangeRef.current(), REFETCH_DEBOUNCE_MS);
    };
    const handle = (message: MessageEvent<string>) => {
      failures = 0;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = runEventSchema.safeParse(parsed);
      if (!event.success || event.data.seq <= lastSeq.current) return;
      lastSeq.current = event.data.seq;
      if (event.data.type.startsWith('run.')) {
        const status = event.data.data.status;
        if (typeof status === 'string') liveStatus.current = status as RunLiveState['status'];
      }
      dispatch({ event: event.data, receivedAt: Date.now() });
      if (event.data.type !== 'model.delta') scheduleRefetch();
    };
    const open = () => {
      if (closed) return;
      setStreamState(failures === 0 ? 'connecting' : 'reconnecting');
      // A new EventSource cannot send Last-Event-ID: `?after=` resumes it instead.
      source = new EventSource(runEventsUrl(orgId, runId, lastSeq.current));
      for (const type of RUN_EVENT_TYPES) source.addEventListener(type, handle);
      source.onopen = () => setStreamState('live');
      source.onerror = () => {
        const status = liveStatus.current;
        if (status !== null && !isRunActive(status)) {
          // The api ends the stream after a finished run's last event: nothing more will come.
          source?.close();
          setStreamState('ended');
          scheduleRefetch();
          return;
        }
        if (source?.readyState === EventSource.CONNECTING) {
          setStreamState('reconnecting');
          return;
        }
        // Refused (401 after the access token expired, 5xx): refresh the session, then reopen.
        source?.close();
        failures += 1;
        setStreamState('reconnecting');
        const delay = Math.min(1_000 * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
        retryTimer = setTimeout(() => {
          void getRun(orgId, runId)
            .catch(() => undefined)
            .finally(open);
        }, delay);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(refetchTimer);
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [orgId, runId, generation]);

  const resume = useCallback(() => {
    liveStatus.current = null;
    setGeneration((value) => value + 1);
  }, []);

  return { state, streamState, resume };
}
