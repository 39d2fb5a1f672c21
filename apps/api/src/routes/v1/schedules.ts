import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createSchedule,
  createScheduleSchema,
  deleteSchedule,
  getSchedule,
  listSchedules,
  nextScheduleRun,
  pauseSchedule,
  resumeSchedule,
  updateSchedule,
  updateScheduleSchema,
  type ScheduleServiceDeps,
} from '@switchyard/agents';
import type { Schedule } from '@switchyard/database';
import { createLazyScheduleQueue } from '../../services/create-lazy-schedule-queue';
import { runtimeActor } from './agent-runtime-context';
import { nextCursorSchema, pageQuerySchema } from './agent-runtime-schemas';
import { withExamples } from './openapi-examples';
import type { V1RouteOptions } from './options';
import { orgIdParamsSchema } from './orgs/response-schemas';

const TAGS = ['schedules'];

const EXAMPLE_SCHEDULE = {
  id: '2a7d9c4e-5b3f-4e1a-8c6d-9f0e1a2b3c4d',
  orgId: '6f1c2b9e-3d4a-4c5b-8e7f-1a2b3c4d5e6f',
  name: 'Weekday morning report',
  cron: '0 9 * * 1-5',
  timezone: 'Europe/Paris',
  target: {
    kind: 'agent' as const,
    id: '0d9a8b7c-6e5f-4a3b-9c2d-1e0f9a8b7c6d',
    input: 'Summarise the support tickets of yesterday.',
    budget: { maxCostMicros: 500_000 },
  },
  paused: false,
  createdBy: '3f0e9c5a-7b1d-4e2f-9a6b-8c4d2e1f0a7b',
  createdAt: '2025-01-01T12:00:00.000Z',
  updatedAt: '2025-01-01T12:00:00.000Z',
  lastRunAt: null,
  nextRunAt: '2025-01-02T08:00:00.000Z',
};

const scheduleSchema = withExamples(
  z.object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    target: z.object({
      kind: z.enum(['agent', 'team']),
      id: z.uuid().describe("The agent's or the team's id."),
      input: z.string(),
      budget: z.record(z.string(), z.number()).optional(),
      priority: z.number().int().optional(),
    }),
    paused: z.boolean(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lastRunAt: z.iso.datetime().nullable().describe('When the schedule last started a run.'),
    nextRunAt: z.iso
      .datetime()
      .nullable()
      .describe('When the schedule fires next (its pattern in its time zone); null while paused.'),
  }),
  EXAMPLE_SCHEDULE,
);

const scheduleIdParamsSchema = orgIdParamsSchema.extend({ scheduleId: z.uuid() });

function toScheduleResponse(schedule: Schedule) {
  return {
    id: schedule.id,
    orgId: schedule.orgId,
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    target: {
      kind: schedule.target.kind,
      id: schedule.target.id,
      input: schedule.target.input,
      ...(schedule.target.budget ? { budget: schedule.target.budget } : {}),
      ...(schedule.target.priority === undefined ? {} : { priority: schedule.target.priority }),
    },
    paused: schedule.paused,
    createdBy: schedule.createdBy,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
    lastRunAt: schedule.lastRunAt?.toISOString() ?? null,
    nextRunAt: schedule.paused
      ? null
      : (nextScheduleRun(schedule.cron, schedule.timezone)?.toISOString() ?? null),
  };
}

/**
 * An org's cron schedules (`/v1/orgs/:orgId/schedules`): each starts a run of an agent or team
 * through a BullMQ job scheduler on the workers' `schedules` queue. API keys with the scope may
 * call.
 */
export const schedulesRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  const schedules = createLazyScheduleQueue({
    redisUrl: options.config.redisUrl,
    prefix: options.config.runs.queuePrefix,
    log: options.log,
  });
  app.addHook('onClose', async () => {
    await schedules.close();
  });
  const deps: ScheduleServiceDeps = { db: options.db, schedules };
  const read = { kind: 'org', permission: 'schedule:read', allowApiKey: true } as const;
  const write = { kind: 'org', permission: 'schedule:write', allowApiKey: true } as const;

  app.get(
    '/v1/orgs/:orgId/schedules',
    {
      config: { policy: read },
      schema: {
        summary: "List the organization's schedules, newest first",
        tags: TAGS,
        params: orgIdParamsSchema,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ schedules: z.array(scheduleSchema), nextCursor: nextCursorSchema }),
        },
      },
    },
    async (request) => {
      const page = await listSchedules({ orgId: request.params.orgId, ...request.query }, deps);
      return { schedules: page.items.map(toScheduleResponse), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/orgs/:orgId/schedules',
    {
      config: { policy: write },
      schema: {
        summary: 'Create a schedule: a run of an agent or team on a cron pattern',
        description:
          'Five cron fields (minute hour day-of-month month day-of-week), evaluated in `timezone` ' +
          '(IANA, UTC by default); a schedule fires at most once a minute. Each firing creates a ' +
          'run as the creator of the schedule, with the given input, budget and priority.',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: withExamples(createScheduleSchema, {
          name: 'Weekday morning report',
          cron: '0 9 * * 1-5',
          timezone: 'Europe/Paris',
          target: { kind: 'agent', agentId: EXAMPLE_SCHEDULE.target.id },
          input: 'Summarise the support tickets of yesterday.',
          budget: { maxCostMicros: 500_000 },
        }),
        response: { 201: scheduleSchema },
      },
    },
    async (request, reply) => {
      const schedule = await createSchedule(
        { orgId: request.params.orgId, actor: runtimeActor(request), input: request.body },
        deps,
      );
      return reply.code(201).send(toScheduleResponse(schedule));
    },
  );

  app.get(
    '/v1/orgs/:orgId/schedules/:scheduleId',
    {
      config: { policy: read },
      schema: {
        summary: 'Get a schedule',
        tags: TAGS,
        params: scheduleIdParamsSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) => toScheduleResponse(await getSchedule(request.params, deps)),
  );

  app.patch(
    '/v1/orgs/:orgId/schedules/:scheduleId',
    {
      config: { policy: write },
      schema: {
        summary: 'Change a schedule: only the fields given change',
        description:
          'Any of name, cron, timezone, target, input, budget and priority; `budget` or ' +
          '`priority` null removes it. The pattern is checked in the resulting time zone, and a ' +
          'schedule that is not paused fires on its new pattern from now on.',
        tags: TAGS,
        params: scheduleIdParamsSchema,
        body: withExamples(updateScheduleSchema, { cron: '30 8 * * 1-5', priority: null }),
        response: { 200: scheduleSchema },
      },
    },
    async (request) =>
      toScheduleResponse(
        await updateSchedule(
          { ...request.params, actor: runtimeActor(request), input: request.body },
          deps,
        ),
      ),
  );

  app.post(
    '/v1/orgs/:orgId/schedules/:scheduleId/pause',
    {
      config: { policy: write },
      schema: {
        summary: 'Pause a schedule (idempotent); it starts no run until resumed',
        tags: TAGS,
        params: scheduleIdParamsSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) =>
      toScheduleResponse(
        await pauseSchedule({ ...request.params, actor: runtimeActor(request) }, deps),
      ),
  );

  app.post(
    '/v1/orgs/:orgId/schedules/:scheduleId/resume',
    {
      config: { policy: write },
      schema: {
        summary: 'Resume a paused schedule (idempotent)',
        tags: TAGS,
        params: scheduleIdParamsSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) =>
      toScheduleResponse(
        await resumeSchedule({ ...request.params, actor: runtimeActor(request) }, deps),
      ),
  );

  app.delete(
    '/v1/orgs/:orgId/schedules/:scheduleId',
    {
      config: { policy: write },
      schema: {
        summary: 'Delete a schedule; runs it started are kept',
        tags: TAGS,
        params: scheduleIdParamsSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) =>
      toScheduleResponse(
        await deleteSchedule({ ...request.params, actor: runtimeActor(request) }, deps),
      ),
  );
};
