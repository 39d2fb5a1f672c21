import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import type { RunBudgetInput } from './runs';
import { scheduleSchema } from './runtime-schemas';

/** An org's cron schedules: each starts a run of an agent or a team when its pattern fires. */

const schedulesPath = (orgId: string, rest = '') =>
  `/orgs/${encodeURIComponent(orgId)}/schedules${rest}`;
const schedulePath = (orgId: string, scheduleId: string, rest = '') =>
  schedulesPath(orgId, `/${encodeURIComponent(scheduleId)}${rest}`);

export type CreateScheduleInput = {
  name: string;
  /** Five fields (minute hour day-of-month month day-of-week), or six with seconds first. */
  cron: string;
  /** IANA time zone the pattern is read in; the api defaults to UTC. */
  timezone: string;
  target: { kind: 'agent'; agentId: string } | { kind: 'team'; teamId: string };
  input: string;
  budget?: RunBudgetInput;
  /** 1 (most urgent) to 10; the api's default is the plan tier's priority for scheduled runs. */
  priority?: number;
  /** Create it paused: it fires only once resumed. */
  paused?: boolean;
};

/**
 * The fields to change; the others stay. `budget` or `priority` null removes it (runs then get the
 * api's defaults). Pausing has its own calls.
 */
export type UpdateScheduleInput = Partial<
  Pick<CreateScheduleInput, 'name' | 'cron' | 'timezone' | 'target' | 'input'>
> & {
  budget?: RunBudgetInput | null;
  priority?: number | null;
};

const schedulePageSchema = z.object({
  schedules: z.array(scheduleSchema),
  nextCursor: z.string().nullable(),
});

/** A page of the org's schedules, newest first. */
export function listSchedules(
  orgId: string,
  params: { cursor?: string; limit?: number } = {},
  client: ApiClient = getApiClient(),
) {
  return client.request(schedulesPath(orgId), {
    query: { cursor: params.cursor, limit: params.limit },
    schema: schedulePageSchema,
  });
}

export function createSchedule(
  orgId: string,
  input: CreateScheduleInput,
  client: ApiClient = getApiClient(),
) {
  return client.request(schedulesPath(orgId), {
    method: 'POST',
    body: input,
    schema: scheduleSchema,
  });
}

/** Changes only the fields given; the pattern is checked in the resulting time zone. */
export function updateSchedule(
  orgId: string,
  scheduleId: string,
  patch: UpdateScheduleInput,
  client: ApiClient = getApiClient(),
) {
  return client.request(schedulePath(orgId, scheduleId), {
    method: 'PATCH',
    body: patch,
    schema: scheduleSchema,
  });
}

/** Stops it firing until resumed (idempotent). */
export function pauseSchedule(orgId: string, scheduleId: string, client = getApiClient()) {
  return client.request(schedulePath(orgId, scheduleId, '/pause'), {
    method: 'POST',
    schema: scheduleSchema,
  });
}

/** Makes a paused schedule fire again (idempotent). */
export function resumeSchedule(orgId: string, scheduleId: string, client = getApiClient()) {
  return client.request(schedulePath(orgId, scheduleId, '/resume'), {
    method: 'POST',
    schema: scheduleSchema,
  });
}

/** Deletes it; runs it already started are kept. */
export async function deleteSchedule(
  orgId: string,
  scheduleId: string,
  client: ApiClient = getApiClient(),
) {
  await client.request(schedulePath(orgId, scheduleId), { method: 'DELETE' });
}
