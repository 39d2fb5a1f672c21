import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@/lib/api/runtime-schemas';
import { applyRunEvent, INITIAL_RUN_LIVE_STATE, type RunLiveState } from './run-live-state';

const RUN_ID = '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const TURN = '7c6b5a4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';

function event(seq: number, type: string, data: Record<string, unknown> = {}): RunEvent {
  return { runId: RUN_ID, seq, type, data, createdAt: '2030-01-01T00:00:00.000Z' };
}

function applyAll(events: RunEvent[], from: RunLiveState = INITIAL_RUN_LIVE_STATE) {
  return events.reduce((state, next) => applyRunEvent(state, next, 1_000), from);
}

describe('applyRunEvent', () => {
  it('ignores an event it has already applied, so a reconnect never doubles streamed text', () => {
    const once = applyAll([
      event(1, 'run.started', { status: 'running' }),
      event(2, 'model.delta', { stepId: TURN, text: 'Hello ' }),
      event(3, 'model.delta', { stepId: TURN, text: 'world' }),
    ]);
    // The server resends from an older point (as after a reconnect with a stale id).
    const replayed = applyAll(
      [event(2, 'model.delta', { stepId: TURN, text: 'Hello ' }), event(3, 'model.delta', {})],
      once,
    );

    expect(replayed).toBe(once);
    expect(replayed.streamed[TURN]).toBe('Hello world');
    expect(replayed.lastSeq).toBe(3);
  });

  it('follows the run status and its usage totals from the events', () => {
    const state = applyAll([
      event(1, 'run.queued', { status: 'queued' }),
      event(2, 'run.started', { status: 'running' }),
      event(3, 'model.completed', {
        stepId: 'child',
        parentStepId: TURN,
        finishReason: 'stop',
        runUsage: { inputTokens: 120, outputTokens: 30, costMicros: 45, steps: 1 },
      }),
      event(4, 'run.succeeded', {
        status: 'succeeded',
        usage: { inputTokens: 120, outputTokens: 30, costMicros: 45, steps: 1 },
      }),
    ]);

    expect(state.status).toBe('succeeded');
    expect(state.statusAt).toBe(1_000);
    expect(state.usage).toEqual({
      inputTokens: 120,
      outputTokens: 30,
      costMicros: 45,
      modelCalls: 1,
    });
  });

  it('keeps streamed text out of the log and describes the other events', () => {
    const state = applyAll([
      event(1, 'step.started', { stepId: TURN, kind: 'agent_turn' }),
      event(2, 'model.delta', { stepId: TURN, text: 'Thinking' }),
      event(3, 'approval.requested', { stepId: 'approval', tool: 'ask_human' }),
      event(4, 'run.failed', { status: 'failed', error: { code: 'x', message: 'Model refused' } }),
    ]);

    expect(state.log.map((entry) => entry.summary)).toEqual([
      'Step started: agent turn',
      'Approval requested for ask_human',
      'Run failed: Model refused',
    ]);
  });

  it('separates the text of successive model calls of one turn', () => {
    const state = applyAll([
      event(1, 'model.delta', { stepId: TURN, text: 'First answer' }),
      event(2, 'model.completed', { stepId: 'call-1', parentStepId: TURN }),
      event(3, 'model.delta', { stepId: TURN, text: 'Second' }),
    ]);

    expect(state.streamed[TURN]).toBe('First answer\n\nSecond');
  });
});
