import type { RunEvent, RunStatus, RunUsage } from '@/lib/api/runtime-schemas';
import { RUN_STATUSES } from '@/lib/api/runtime-schemas';

/** Most entries the event log keeps (the oldest are dropped). */
const MAX_LOG_ENTRIES = 300;

export type RunLogEntry = { seq: number; type: string; createdAt: string; summary: string };

/** What the live view knows from the run's event stream, on top of the last fetched run. */
export type RunLiveState = {
  /** The highest event sequence applied; events at or below it are duplicates. */
  lastSeq: number;
  /** The run status of the latest `run.*` event, and when (client clock) it was applied. */
  status: RunStatus | null;
  statusAt: number;
  /** Run totals of the latest event that carried them. */
  usage: RunUsage | null;
  usageAt: number;
  /** Text streamed so far by each step (keyed by the agent turn, plan or synthesis step). */
  streamed: Record<string, string>;
  log: RunLogEntry[];
};

export const INITIAL_RUN_LIVE_STATE: RunLiveState = {
  lastSeq: 0,
  status: null,
  statusAt: 0,
  usage: null,
  usageAt: 0,
  streamed: {},
  log: [],
};

/**
 * Applies one event: in order, at most once (an event whose `seq` was already applied, as after
 * a reconnect, changes nothing). `receivedAt` is the client clock, to compare with fetches.
 */
export function applyRunEvent(
  state: RunLiveState,
  event: RunEvent,
  receivedAt: number,
): RunLiveState {
  if (event.seq <= state.lastSeq) return state;
  const next: RunLiveState = { ...state, lastSeq: event.seq };
  const { data } = event;
  const stepId = readString(data, 'stepId');

  if (event.type === 'model.delta') {
    const text = readString(data, 'text');
    if (stepId && text) {
      next.streamed = { ...state.streamed, [stepId]: (state.streamed[stepId] ?? '') + text };
    }
    // Streamed text is shown in its step, not in the log.
    return next;
  }
  if (event.type === 'model.completed') {
    // The next model call of the same turn starts a new paragraph.
    const parent = readString(data, 'parentStepId');
    const sofar = parent ? state.streamed[parent] : undefined;
    if (parent && sofar && !sofar.endsWith('\n\n')) {
      next.streamed = { ...state.streamed, [parent]: `${sofar}\n\n` };
    }
  }
  const status = readStatus(data);
  if (event.type.startsWith('run.') && status) {
    next.status = status;
    next.statusAt = receivedAt;
  }
  const usage = readUsage(data);
  if (usage) {
    next.usage = usage;
    next.usageAt = receivedAt;
  }
  next.log = [
    ...state.log,
    { seq: event.seq, type: event.type, createdAt: event.createdAt, summary: summarize(event) },
  ].slice(-MAX_LOG_ENTRIES);
  return next;
}

/** A one-line description of an event for the log. */
function summarize(event: RunEvent): string {
  const { data } = event;
  const tool = readString(data, 'tool');
  switch (event.type) {
    case 'run.queued':
      return 'Run queued';
    case 'run.started':
      return 'Run started';
    case 'run.waiting_for_approval':
      return 'Waiting for a person to approve a step';
    case 'run.resumed':
      return 'Run resumed';
    case 'run.retried':
      return 'Run retried from its failed steps';
    case 'run.succeeded':
      return 'Run succeeded';
    case 'run.failed':
      return `Run failed${describeError(data)}`;
    case 'run.cancelled':
      return `Run cancelled${readString(data, 'stopReason') ? ` (${readString(data, 'stopReason')})` : ''}`;
    case 'step.started':
      return `Step started: ${humanize(readString(data, 'kind') ?? 'step')}${
        readString(data, 'subtaskId') ? ` ${readString(data, 'subtaskId')}` : ''
      }`;
    case 'step.succeeded':
      return `Step succeeded: ${humanize(readString(data, 'kind') ?? 'step')}`;
    case 'step.failed':
      return `Step failed${describeError(data)}`;
    case 'step.retrying':
      return 'Step will be retried';
    case 'step.waiting_for_approval':
      return 'Step paused for approval';
    case 'plan.created': {
      const subtasks = Array.isArray(data.subtasks) ? data.subtasks.length : 0;
      return `Plan created with ${subtasks} subtask${subtasks === 1 ? '' : 's'}`;
    }
    case 'plan.rejected':
      return 'Plan rejected as invalid';
    case 'model.completed':
      return `Model answered (${readString(data, 'finishReason') ?? 'done'})`;
    case 'tool.completed':
      return `Tool ${tool ?? ''} ${data.ok === false ? 'failed' : 'returned'}`.replace(/\s+/g, ' ');
    case 'approval.requested':
      return `Approval requested for ${tool ?? 'a tool call'}`;
    case 'approval.approved':
      return `Approved${tool ? `: ${tool}` : ''}${data.edited === true ? ' (arguments edited)' : ''}`;
    case 'approval.rejected':
      return `Rejected${tool ? `: ${tool}` : ''}`;
    case 'handoff': {
      const to =
        typeof data.to === 'object' && data.to !== null ? (data.to as Record<string, unknown>) : {};
      return `Handed off${typeof to.name === 'string' ? ` to ${to.name}` : ''}`;
    }
    case 'budget.exceeded':
      return `Budget exceeded${readString(data, 'limit') ? ` (${readString(data, 'limit')})` : ''}`;
    default:
      return humanize(event.type);
  }
}

function humanize(value: string): string {
  return value.replace(/[._]/g, ' ');
}

function describeError(data: Record<string, unknown>): string {
  const error = data.error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return '';
  return typeof error.message === 'string' ? `: ${error.message}` : '';
}

function readString(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

function readStatus(data: Record<string, unknown>): RunStatus | null {
  const value = data.status;
  return RUN_STATUSES.find((status) => status === value) ?? null;
}

/** `runUsage` of `model.completed`, or `usage` of a `run.*` ending event. */
function readUsage(data: Record<string, unknown>): RunUsage | null {
  const source = data.runUsage ?? (readStatus(data) ? data.usage : undefined);
  if (typeof source !== 'object' || source === null) return null;
  const record = source as Record<string, unknown>;
  const number = (key: string) => (typeof record[key] === 'number' ? record[key] : null);
  const inputTokens = number('inputTokens');
  const outputTokens = number('outputTokens');
  const costMicros = number('costMicros');
  const steps = number('steps');
  if (inputTokens === null || outputTokens === null || costMicros === null) return null;
  return { inputTokens, outputTokens, costMicros, modelCalls: steps ?? 0 };
}
