import { describe, expect, it } from 'vitest';
import type { Step } from '@/lib/api/runtime-schemas';
import { buildStepTree, findWaitingApprovals } from './build-step-tree';

function step(id: string, kind: Step['kind'], parentStepId: string | null = null): Step {
  return {
    id,
    parentStepId,
    kind,
    status: 'succeeded',
    dependsOn: [],
    agentId: null,
    agentVersion: null,
    input: {},
    output: null,
    usage: null,
    attempt: 1,
    maxAttempts: 3,
    error: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
  };
}

describe('buildStepTree', () => {
  it('puts model calls, tool calls and approvals under the turn that made them', () => {
    const tree = buildStepTree([
      step('plan', 'plan'),
      step('a', 'agent_turn'),
      step('b', 'agent_turn'),
      step('a-model', 'model_call', 'a'),
      step('a-tool', 'tool_call', 'a'),
      step('synthesis', 'synthesis'),
      step('b-approval', 'approval', 'b'),
    ]);

    expect(tree.map((node) => node.step.id)).toEqual(['plan', 'a', 'b', 'synthesis']);
    expect(tree[1]?.children.map((node) => node.step.id)).toEqual(['a-model', 'a-tool']);
    expect(tree[2]?.children.map((node) => node.step.id)).toEqual(['b-approval']);
  });

  it('shows a step whose parent is missing at the top level', () => {
    const tree = buildStepTree([step('orphan', 'tool_call', 'gone')]);
    expect(tree.map((node) => node.step.id)).toEqual(['orphan']);
  });
});

describe('findWaitingApprovals', () => {
  it('lists only approval steps still waiting for a decision', () => {
    const waiting = { ...step('w', 'approval', 'a'), status: 'waiting_for_approval' as const };
    const decided = step('d', 'approval', 'a');
    expect(findWaitingApprovals([decided, waiting]).map((entry) => entry.id)).toEqual(['w']);
  });
});
