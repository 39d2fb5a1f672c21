import { describe, expect, it } from 'vitest';
import { createApiClient } from './client';
import { updateSchedule } from './schedules';

const SCHEDULE = {
  id: '2a7d9c4e-5b3f-4e1a-8c6d-9f0e1a2b3c4d',
  orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
  name: 'Weekday morning report',
  cron: '30 8 * * 1-5',
  timezone: 'Europe/Paris',
  target: { kind: 'agent', id: '0d9a8b7c-6e5f-4a3b-9c2d-1e0f9a8b7c6d', input: 'Summarise.' },
  paused: false,
  createdBy: null,
  createdAt: '2025-01-01T12:00:00.000Z',
  updatedAt: '2025-01-02T12:00:00.000Z',
  lastRunAt: null,
  nextRunAt: '2025-01-03T07:30:00.000Z',
};

describe('updateSchedule', () => {
  it('PATCHes only the fields given, nulls included, and reads the next run', async () => {
    const calls: { url: string; method: string; body: unknown }[] = [];
    const client = createApiClient({
      readCookies: () => '',
      fetchFn: async (input, init) => {
        calls.push({
          url: String(input),
          method: init?.method ?? 'GET',
          body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        });
        return new Response(JSON.stringify(SCHEDULE), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
    });

    const updated = await updateSchedule(
      SCHEDULE.orgId,
      SCHEDULE.id,
      { cron: '30 8 * * 1-5', priority: null, budget: null },
      client,
    );

    expect(calls).toEqual([
      {
        url: `/api/v1/orgs/${SCHEDULE.orgId}/schedules/${SCHEDULE.id}`,
        method: 'PATCH',
        body: { cron: '30 8 * * 1-5', priority: null, budget: null },
      },
    ]);
    expect(updated.nextRunAt).toBe('2025-01-03T07:30:00.000Z');
  });
});
