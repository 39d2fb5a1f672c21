import type { RunEvent } from '@switchyard/database';

/** Every event type a run's log may hold. */
export const RUN_EVENT_TYPES = [
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

export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** An event before it is numbered and stored. */
export type PendingRunEvent = { type: RunEventType; data: Record<string, unknown> };

/** Redis channel carrying a run's events, as stored, right after their transaction commits. */
export function runEventsChannel(runId: string): string {
  return `run-events:${runId}`;
}

/** Redis channel on which cancelled run ids are announced, so workers abort work in flight. */
export const RUN_CANCEL_CHANNEL = 'run-cancel';

/** The JSON published on {@link runEventsChannel}: the stored event, with an ISO timestamp. */
export type PublishedRunEvent = Omit<RunEvent, 'createdAt' | 'orgId'> & { createdAt: string };

export function toPublishedRunEvent(event: RunEvent): PublishedRunEvent {
  return {
    runId: event.runId,
    seq: event.seq,
    type: event.type,
    data: event.data,
    createdAt: event.createdAt.toISOString(),
  };
}
