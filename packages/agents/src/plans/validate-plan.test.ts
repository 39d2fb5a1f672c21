import { describe, expect, it } from 'vitest';
import { parsePlanText } from './parse-plan-text';
import { MAX_PLAN_SUBTASKS } from './plan-schema';
import { validatePlan, type PlanMember } from './validate-plan';

const members: PlanMember[] = [
  { agentId: '0b8e2a52-1111-4c1e-9a51-000000000001', version: 3, name: 'Researcher' },
  { agentId: '0b8e2a52-1111-4c1e-9a51-000000000002', version: 1, name: 'writer' },
];

function subtask(id: string, agent: string, dependsOn: string[] = []) {
  return { id, agent, task: `do ${id}`, dependsOn };
}

describe('validatePlan', () => {
  it('accepts a fan-out/fan-in plan and orders it by dependencies', () => {
    const result = validatePlan(
      {
        subtasks: [
          subtask('merge', 'writer', ['a', 'b']),
          subtask('a', 'researcher'),
          subtask('b', members[1]?.agentId ?? ''),
        ],
      },
      members,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.subtasks.map((entry) => entry.id)).toEqual(['a', 'b', 'merge']);
    expect(result.subtasks[0]?.member).toEqual(members[0]);
    expect(result.subtasks[1]?.member).toEqual(members[1]);
  });

  it('refuses an agent that is not a member of the team', () => {
    const result = validatePlan({ subtasks: [subtask('a', 'Hacker')] }, members);
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'subtasks.0.agent', message: '"Hacker" is not an agent of this team' }],
    });
  });

  it('refuses duplicate ids, unknown dependencies and self-dependencies', () => {
    const result = validatePlan(
      {
        subtasks: [
          subtask('a', 'writer', ['a']),
          subtask('a', 'writer'),
          subtask('b', 'writer', ['zzz']),
        ],
      },
      members,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.path)).toEqual([
      'subtasks.1.id',
      'subtasks.0.dependsOn.0',
      'subtasks.2.dependsOn.0',
    ]);
  });

  it('refuses a cycle', () => {
    const result = validatePlan(
      {
        subtasks: [
          subtask('a', 'writer', ['c']),
          subtask('b', 'writer', ['a']),
          subtask('c', 'writer', ['b']),
        ],
      },
      members,
    );
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'subtasks', message: 'the dependencies form a cycle' }],
    });
  });

  it(`refuses more than ${MAX_PLAN_SUBTASKS} subtasks and a plan with none`, () => {
    const many = Array.from({ length: MAX_PLAN_SUBTASKS + 1 }, (_, index) =>
      subtask(`s${index}`, 'writer'),
    );
    expect(validatePlan({ subtasks: many }, members).ok).toBe(false);
    expect(validatePlan({ subtasks: [] }, members).ok).toBe(false);
    expect(validatePlan('not a plan', members).ok).toBe(false);
  });
});

describe('parsePlanText', () => {
  it('reads plain JSON, a fenced block, or JSON surrounded by prose', () => {
    expect(parsePlanText('{"subtasks":[]}')).toEqual({ subtasks: [] });
    expect(parsePlanText('Here:\n```json\n{"subtasks":[1]}\n```\nDone.')).toEqual({
      subtasks: [1],
    });
    expect(parsePlanText('The plan is {"subtasks":[2]} as asked.')).toEqual({ subtasks: [2] });
    expect(parsePlanText('no json here')).toBeUndefined();
  });
});
