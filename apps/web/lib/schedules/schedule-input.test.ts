import { describe, expect, it } from 'vitest';
import type { Schedule } from '@/lib/api/runtime-schemas';
import {
  buildScheduleUpdate,
  newScheduleValues,
  scheduleFormValues,
  toScheduleInput,
} from './schedule-input';

const REPORT: Schedule = {
  id: 's1',
  name: 'Morning report',
  cron: '0 9 * * 1-5',
  timezone: 'Europe/Paris',
  target: {
    kind: 'agent',
    id: 'a1',
    input: 'Summarise yesterday.',
    budget: { maxTokens: 20_000, maxCostMicros: 500_000, maxSteps: 12, maxDurationMs: 90_000 },
    priority: 8,
  },
  paused: false,
  createdBy: 'u1',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  lastRunAt: null,
  nextRunAt: '2025-01-02T08:00:00.000Z',
};

describe('scheduleFormValues', () => {
  it('fills the form from a saved schedule, dollars and minutes included', () => {
    expect(scheduleFormValues(REPORT)).toEqual({
      name: 'Morning report',
      target: 'agent:a1',
      input: 'Summarise yesterday.',
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Paris',
      priority: '8',
      paused: false,
      maxTokens: '20000',
      maxCostDollars: '0.5',
      maxDurationMinutes: '1.5',
    });
  });

  it('leaves the priority and budget empty when the schedule has none', () => {
    const bare = { ...REPORT, target: { kind: 'team' as const, id: 't1', input: 'Go.' } };
    expect(scheduleFormValues(bare)).toMatchObject({
      target: 'team:t1',
      priority: '',
      maxTokens: '',
      maxCostDollars: '',
      maxDurationMinutes: '',
    });
  });
});

describe('buildScheduleUpdate', () => {
  it('sends nothing when nothing changed (spaces around the text do not count)', () => {
    expect(buildScheduleUpdate(REPORT, scheduleFormValues(REPORT))).toBeNull();
    expect(
      buildScheduleUpdate(REPORT, {
        ...scheduleFormValues(REPORT),
        name: ' Morning report ',
        cron: '0 9 * * 1-5 ',
      }),
    ).toBeNull();
  });

  it('sends only the fields that changed', () => {
    expect(
      buildScheduleUpdate(REPORT, {
        ...scheduleFormValues(REPORT),
        cron: '30 7 * * *',
        timezone: 'Asia/Tokyo',
      }),
    ).toEqual({ cron: '30 7 * * *', timezone: 'Asia/Tokyo' });
    expect(
      buildScheduleUpdate(REPORT, {
        ...scheduleFormValues(REPORT),
        target: 'team:t1',
        input: 'Summarise the week.',
      }),
    ).toEqual({ target: { kind: 'team', teamId: 't1' }, input: 'Summarise the week.' });
  });

  it('removes a cleared priority with null and sends a new one as a number', () => {
    expect(buildScheduleUpdate(REPORT, { ...scheduleFormValues(REPORT), priority: '' })).toEqual({
      priority: null,
    });
    expect(buildScheduleUpdate(REPORT, { ...scheduleFormValues(REPORT), priority: '6' })).toEqual({
      priority: 6,
    });
  });

  it('sends the whole budget when a limit changed, keeping the limits the form does not show', () => {
    expect(
      buildScheduleUpdate(REPORT, { ...scheduleFormValues(REPORT), maxCostDollars: '' }),
    ).toEqual({ budget: { maxTokens: 20_000, maxSteps: 12, maxDurationMs: 90_000 } });
  });

  it('removes a cleared budget with null', () => {
    const noSteps = {
      ...REPORT,
      target: { ...REPORT.target, budget: { maxTokens: 20_000 } },
    };
    expect(buildScheduleUpdate(noSteps, { ...scheduleFormValues(noSteps), maxTokens: '' })).toEqual(
      { budget: null },
    );
    const bare = { ...REPORT, target: { kind: 'agent' as const, id: 'a1', input: 'Go.' } };
    expect(buildScheduleUpdate(bare, { ...scheduleFormValues(bare), maxTokens: '100' })).toEqual({
      budget: { maxTokens: 100 },
    });
  });

  it('never sends the paused flag: pausing has its own calls', () => {
    expect(buildScheduleUpdate(REPORT, { ...scheduleFormValues(REPORT), paused: true })).toBeNull();
  });
});

describe('toScheduleInput', () => {
  it('builds a new schedule, leaving out an empty budget and the default priority', () => {
    expect(
      toScheduleInput({
        ...newScheduleValues('UTC'),
        name: ' Digest ',
        target: 'agent:a1',
        input: 'Write the digest.',
      }),
    ).toEqual({
      name: 'Digest',
      cron: '0 9 * * 1-5',
      timezone: 'UTC',
      target: { kind: 'agent', agentId: 'a1' },
      input: 'Write the digest.',
      priority: undefined,
      paused: false,
    });
  });

  it('gives nothing until an agent or a team is chosen', () => {
    expect(toScheduleInput(newScheduleValues('UTC'))).toBeNull();
  });
});
