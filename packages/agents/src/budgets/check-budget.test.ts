import { describe, expect, it } from 'vitest';
import { checkBudget } from './check-budget';

const now = new Date('2030-01-01T00:00:00Z');
const usage = { inputTokens: 600, outputTokens: 200, costMicros: 900, steps: 2 };

describe('checkBudget', () => {
  it('allows a call that stays within every limit', () => {
    expect(
      checkBudget({
        budget: { maxSteps: 3, maxTokens: 1_000, maxCostMicros: 1_000 },
        usage,
        estimate: { inputTokens: 200, costMicros: 100 },
        deadlineAt: new Date(now.getTime() + 1),
        now,
      }),
    ).toEqual({ ok: true });
  });

  it('refuses the call that would be one model call too many', () => {
    const verdict = checkBudget({
      budget: { maxSteps: 2 },
      usage,
      estimate: { inputTokens: 1, costMicros: 0 },
      deadlineAt: null,
      now,
    });
    expect(verdict).toMatchObject({ ok: false, limit: 'maxSteps', used: 2, max: 2 });
  });

  it('refuses the call whose request alone would cross the token budget', () => {
    const verdict = checkBudget({
      budget: { maxTokens: 1_000 },
      usage,
      estimate: { inputTokens: 201, costMicros: 0 },
      deadlineAt: null,
      now,
    });
    expect(verdict).toMatchObject({ ok: false, limit: 'maxTokens', used: 800 });
  });

  it('refuses the call that would cross the cost budget', () => {
    const verdict = checkBudget({
      budget: { maxCostMicros: 1_000 },
      usage,
      estimate: { inputTokens: 10, costMicros: 101 },
      deadlineAt: null,
      now,
    });
    expect(verdict).toMatchObject({ ok: false, limit: 'maxCostMicros' });
  });

  it('refuses any call once the deadline has passed', () => {
    const verdict = checkBudget({
      budget: {},
      usage,
      estimate: { inputTokens: 1, costMicros: 0 },
      deadlineAt: now,
      now,
    });
    expect(verdict).toMatchObject({ ok: false, limit: 'maxDurationMs' });
  });
});
