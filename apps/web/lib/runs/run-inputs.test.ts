import { describe, expect, it } from 'vitest';
import { toBudgetInput, toBudgetValues } from './budget-input';
import { priorityChoices, toPriorityInput } from './priority';
import { parseTargetValue, toTargetValue } from './run-target';

describe('toBudgetInput', () => {
  it('converts dollars to micro-dollars and minutes to milliseconds, leaving empty fields out', () => {
    expect(
      toBudgetInput({ maxTokens: '50000', maxCostDollars: '0.5', maxDurationMinutes: '' }),
    ).toEqual({ maxTokens: 50_000, maxCostMicros: 500_000 });
    expect(toBudgetInput({ maxTokens: '', maxCostDollars: '', maxDurationMinutes: '1.5' })).toEqual(
      { maxDurationMs: 90_000 },
    );
  });

  it('shows a saved budget in the fields and reads back the same limits', () => {
    const budget = { maxTokens: 50_000, maxCostMicros: 1, maxDurationMs: 1_000 };
    const values = toBudgetValues(budget);
    expect(values).toEqual({
      maxTokens: '50000',
      maxCostDollars: '0.000001',
      maxDurationMinutes: String(1 / 60),
    });
    expect(toBudgetInput(values)).toEqual(budget);
    expect(toBudgetValues(undefined)).toEqual({
      maxTokens: '',
      maxCostDollars: '',
      maxDurationMinutes: '',
    });
  });
});

describe('priorityChoices', () => {
  it('offers nothing more urgent than the plan tier allows', () => {
    expect(priorityChoices('free', { scheduled: false })).toEqual({
      defaultPriority: 5,
      choices: [5, 6, 7, 8, 9, 10],
    });
    expect(priorityChoices('enterprise', { scheduled: false }).choices).toHaveLength(10);
  });

  it('defaults scheduled runs to two below the tier, never past the least urgent', () => {
    expect(priorityChoices('pro', { scheduled: true }).defaultPriority).toBe(5);
    expect(priorityChoices('free', { scheduled: true }).defaultPriority).toBe(7);
  });

  it('offers every priority while the tier is unknown', () => {
    expect(priorityChoices(undefined, { scheduled: true })).toEqual({
      defaultPriority: null,
      choices: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
  });

  it('sends no priority for the default choice', () => {
    expect(toPriorityInput('')).toBeUndefined();
    expect(toPriorityInput('7')).toBe(7);
  });
});

describe('run targets as option values', () => {
  it('round-trips agents and teams and refuses anything else', () => {
    expect(parseTargetValue(toTargetValue('agent', 'a1'))).toEqual({
      kind: 'agent',
      agentId: 'a1',
    });
    expect(parseTargetValue('team:t1')).toEqual({ kind: 'team', teamId: 't1' });
    expect(parseTargetValue('')).toBeNull();
    expect(parseTargetValue('agent:')).toBeNull();
    expect(parseTargetValue('robot:r1')).toBeNull();
  });
});
