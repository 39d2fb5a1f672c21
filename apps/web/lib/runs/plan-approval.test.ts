import { describe, expect, it } from 'vitest';
import { buildPlanEdits, readPlanApproval } from './plan-approval';

const PLAN_INPUT = {
  kind: 'plan',
  subtasks: [
    { id: 's1', stepId: 'x', agent: 'Researcher', task: 'Find sources', dependsOn: [] },
    { id: 's2', stepId: 'y', agent: 'Writer', task: 'Write it up', dependsOn: ['s1'] },
  ],
};

describe('readPlanApproval', () => {
  it('reads a whole plan and a single subtask, and nothing from a tool call approval', () => {
    expect(readPlanApproval(PLAN_INPUT)).toMatchObject({
      kind: 'plan',
      subtasks: [
        { id: 's1', agent: 'Researcher' },
        { id: 's2', dependsOn: ['s1'] },
      ],
    });
    expect(
      readPlanApproval({ kind: 'plan_subtask', subtaskId: 's2', agent: 'Writer', task: 'Send' }),
    ).toEqual({ kind: 'plan_subtask', subtaskId: 's2', agent: 'Writer', task: 'Send' });
    expect(readPlanApproval({ tool: 'http_fetch', arguments: { url: 'https://a.example' } })).toBe(
      null,
    );
  });
});

describe('buildPlanEdits', () => {
  it('sends only the tasks that changed, and nothing when none did', () => {
    const plan = readPlanApproval(PLAN_INPUT);
    if (!plan) throw new Error('not a plan');
    expect(buildPlanEdits(plan, { s1: 'Find sources', s2: ' Write it up ' })).toBeUndefined();
    expect(buildPlanEdits(plan, { s1: 'Find three sources', s2: 'Write it up' })).toEqual({
      subtasks: [{ id: 's1', task: 'Find three sources' }],
    });
  });

  it('sends { task } for a single subtask', () => {
    const subtask = readPlanApproval({ kind: 'plan_subtask', subtaskId: 's2', task: 'Send' });
    if (!subtask) throw new Error('not a subtask');
    expect(buildPlanEdits(subtask, { s2: 'Send a draft' })).toEqual({ task: 'Send a draft' });
    expect(buildPlanEdits(subtask, { s2: '' })).toBeUndefined();
  });
});
