import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  approveStep,
  approveStepSchema,
  cancelRun,
  createBuiltInTools,
  createRun,
  createRunSchema,
  createToolRegistry,
  getRun,
  listRuns,
  listRunsSchema,
  rejectStep,
  rejectStepSchema,
  retryRun,
  retryRunSchema,
  type PublishedRunEvent,
  type RunServiceDeps,
  type RunWithSteps,
} from '@switchyard/agents';
import { assertCan } from '@switchyard/auth';
import { AppError } from '@switchyard/shared';
import { streamRunEvents, type RunEventsStream } from '../../services/stream-run-events';
import { runtimeActor } from './agent-runtime-context';
import {
  EXAMPLE_AGENT_ID,
  nextCursorSchema,
  runIdParamsSchema,
  runSchema,
  runWithStepsSchema,
  stepIdParamsSchema,
  stepSchema,
  toRunResponse,
  toStepResponse,
} from './agent-runtime-schemas';
import { withExamples } from './openapi-examples';
import type { V1RouteOptions } from './options';
import { orgActor } from './orgs/route-context';
import { orgIdParamsSchema } from './orgs/response-schemas';

const TAGS = ['runs'];
/** A comment line every so often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const SEQ_PATTERN = /^\d{1,9}$/;

const runNotFound = () => new AppError('NOT_FOUND', { message: 'Run not found.' });

const decisionSchema = z.object({
  step: stepSchema,
  run: runSchema,
  alreadyDecided: z.boolean().describe('True when this decision had already been made.'),
});

const cancelRunSchema = z
  .object({ reason: z.string().trim().min(1).max(2_000).optional() })
  .strict();

/** One SSE message: `id` is the event's per-run sequence number. */
function formatSseEvent(event: PublishedRunEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Where a stream resumes: the `Last-Event-ID` header wins over `?after=`; 0 is the start. */
function readResumePoint(header: string | string[] | undefined, after: number | undefined): number {
  if (header === undefined) return after ?? 0;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !SEQ_PATTERN.test(value.trim())) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Last-Event-ID must be the id of an event of this stream.',
      details: { errors: [{ path: 'Last-Event-ID', message: 'must be a whole number' }] },
    });
  }
  return Number(value.trim());
}

/**
 * Runs of an org's agents and teams (`/v1/orgs/:orgId/runs`): start (202, never waits), list,
 * read with steps, cancel, approve or reject a parked step, retry a failed run, and follow its
 * events over SSE. API keys with the scope may call.
 */
export const runsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  const runDeps: RunServiceDeps = {
    db: options.db,
    redis: options.redis,
    queue: options.runQueue,
    log: options.log,
  };
  const settings = { runMaxDurationMs: options.config.runs.runMaxDurationMs };
  const tools = createToolRegistry(createBuiltInTools());
  const streams = new Set<RunEventsStream>();
  // Open streams would hold the server open: end them when the app closes.
  app.addHook('preClose', async () => {
    await Promise.all([...streams].map((stream) => stream.stop()));
  });

  /** The org's run with its steps, or 404. */
  const findRun = async (orgId: string, runId: string): Promise<RunWithSteps> => {
    const run = await getRun({ orgId, runId }, { db: options.db });
    if (!run) throw runNotFound();
    return run;
  };

  /** The approval must be a step of the run in the path. */
  const assertStepOfRun = async (orgId: string, runId: string, stepId: string) => {
    const run = await findRun(orgId, runId);
    if (!run.steps.some((step) => step.id === stepId)) {
      throw new AppError('NOT_FOUND', { message: 'Approval not found.' });
    }
  };

  app.post(
    '/v1/orgs/:orgId/runs',
    {
      config: { policy: { kind: 'org', permission: 'run:create', allowApiKey: true } },
      schema: {
        summary: 'Start a run of an agent or a team (202: workers execute it)',
        description:
          'Answers as soon as the run is queued. Follow it with `GET …/runs/{runId}/events` ' +
          '(SSE) or poll `GET …/runs/{runId}`.',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: withExamples(createRunSchema, {
          target: { kind: 'agent', agentId: EXAMPLE_AGENT_ID },
          input: 'What is 6 * 7?',
          budget: { maxTokens: 20_000, maxDurationMs: 600_000 },
        }),
        response: { 202: runSchema },
      },
    },
    async (request, reply) => {
      const { run } = await createRun(
        { orgId: request.params.orgId, actor: runtimeActor(request), input: request.body },
        { ...runDeps, settings },
      );
      reply.header('location', `/v1/orgs/${run.orgId}/runs/${run.id}`);
      return reply.code(202).send(toRunResponse(run));
    },
  );

  app.get(
    '/v1/orgs/:orgId/runs',
    {
      config: { policy: { kind: 'org', permission: 'run:read', allowApiKey: true } },
      schema: {
        summary: "List the organization's runs, newest first",
        tags: TAGS,
        params: orgIdParamsSchema,
        querystring: listRunsSchema,
        response: { 200: z.object({ runs: z.array(runSchema), nextCursor: nextCursorSchema }) },
      },
    },
    async (request) => {
      const page = await listRuns({ orgId: request.params.orgId, ...request.query }, runDeps);
      return { runs: page.items.map(toRunResponse), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/orgs/:orgId/runs/:runId',
    {
      config: { policy: { kind: 'org', permission: 'run:read', allowApiKey: true } },
      schema: {
        summary: 'Get a run with its steps',
        tags: TAGS,
        params: runIdParamsSchema,
        response: { 200: runWithStepsSchema },
      },
    },
    async (request) => {
      const run = await findRun(request.params.orgId, request.params.runId);
      return { ...toRunResponse(run), steps: run.steps.map(toStepResponse) };
    },
  );

  app.post(
    '/v1/orgs/:orgId/runs/:runId/cancel',
    {
      // Members may cancel their own runs, admins any: checked against the run below.
      config: { policy: { kind: 'org', permission: 'run:read', allowApiKey: true } },
      schema: {
        summary: 'Cancel a run: work in flight is aborted (admins: any run; members: their own)',
        description: 'Cancelling a cancelled run changes nothing; a finished run is a 409.',
        tags: TAGS,
        params: runIdParamsSchema,
        body: withExamples(cancelRunSchema.default({}), { reason: 'Started by mistake.' }),
        response: { 200: runSchema },
      },
    },
    async (request) => {
      const { orgId, runId } = request.params;
      const existing = await findRun(orgId, runId);
      assertCan(orgActor(request), 'run:cancel', {
        orgId,
        ownerUserId: existing.createdByUserId,
      });
      const run = await cancelRun(
        {
          orgId,
          runId,
          actor: runtimeActor(request),
          ...(request.body.reason ? { reason: request.body.reason } : {}),
        },
        runDeps,
      );
      return toRunResponse(run);
    },
  );

  app.post(
    '/v1/orgs/:orgId/runs/:runId/steps/:stepId/approve',
    {
      config: { policy: { kind: 'org', permission: 'run:approve', allowApiKey: true } },
      schema: {
        summary: 'Approve a parked step (optionally with edited arguments); the run resumes',
        description: 'Idempotent: approving twice answers `alreadyDecided: true`.',
        tags: TAGS,
        params: stepIdParamsSchema,
        body: withExamples(approveStepSchema.default({}), {
          arguments: { url: 'https://example.com/report.csv' },
          comment: 'Checked the URL.',
        }),
        response: { 200: decisionSchema },
      },
    },
    async (request) => {
      const { orgId, runId, stepId } = request.params;
      await assertStepOfRun(orgId, runId, stepId);
      const decision = await approveStep(
        { orgId, stepId, actor: runtimeActor(request), input: request.body },
        { ...runDeps, tools },
      );
      return {
        step: toStepResponse(decision.step),
        run: toRunResponse(decision.run),
        alreadyDecided: decision.alreadyDecided,
      };
    },
  );

  app.post(
    '/v1/orgs/:orgId/runs/:runId/steps/:stepId/reject',
    {
      config: { policy: { kind: 'org', permission: 'run:approve', allowApiKey: true } },
      schema: {
        summary: 'Reject a parked step; the run is cancelled',
        description: 'Idempotent: rejecting twice answers `alreadyDecided: true`.',
        tags: TAGS,
        params: stepIdParamsSchema,
        body: withExamples(rejectStepSchema.default({}), { reason: 'Not this URL.' }),
        response: { 200: decisionSchema },
      },
    },
    async (request) => {
      const { orgId, runId, stepId } = request.params;
      await assertStepOfRun(orgId, runId, stepId);
      const decision = await rejectStep(
        { orgId, stepId, actor: runtimeActor(request), input: request.body },
        runDeps,
      );
      return {
        step: toStepResponse(decision.step),
        run: toRunResponse(decision.run),
        alreadyDecided: decision.alreadyDecided,
      };
    },
  );

  app.post(
    '/v1/orgs/:orgId/runs/:runId/retry',
    {
      config: { policy: { kind: 'org', permission: 'run:create', allowApiKey: true } },
      schema: {
        summary: 'Retry a failed run from its failed step(s), from their last checkpoint',
        tags: TAGS,
        params: runIdParamsSchema,
        body: withExamples(retryRunSchema.default({}), { budget: { maxTokens: 50_000 } }),
        response: { 202: runSchema },
      },
    },
    async (request, reply) => {
      const run = await retryRun(
        { ...request.params, actor: runtimeActor(request), input: request.body },
        { ...runDeps, settings },
      );
      return reply.code(202).send(toRunResponse(run));
    },
  );

  app.get(
    '/v1/orgs/:orgId/runs/:runId/events',
    {
      config: { policy: { kind: 'org', permission: 'run:read', allowApiKey: true } },
      schema: {
        summary: "Follow a run's events (Server-Sent Events)",
        description:
          '`text/event-stream`: each message has `id: <seq>`, `event: <type>` and `data: <RunEvent ' +
          'JSON>`. Reconnect with `Last-Event-ID` (or `?after=<seq>`) to resume: every event is ' +
          'delivered exactly once, in order. A `: heartbeat` comment is sent every 15 s. The ' +
          'stream ends once the run has finished and its last event was sent.',
        tags: TAGS,
        params: runIdParamsSchema,
        querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (request, reply) => {
      const afterSeq = readResumePoint(request.headers['last-event-id'], request.query.after);
      const body = new PassThrough();
      const stream = await streamRunEvents(
        {
          orgId: request.params.orgId,
          runId: request.params.runId,
          afterSeq,
          send: (event) => body.write(formatSseEvent(event)),
          heartbeat: () => body.write(': heartbeat\n\n'),
        },
        { db: options.db, hub: options.runEvents, log: request.log, heartbeatMs: HEARTBEAT_MS },
      );
      if (!stream) throw runNotFound();
      streams.add(stream);
      void stream.finished.then(() => {
        streams.delete(stream);
        body.end();
      });
      // The client went away (or the response ended): release the subscription.
      reply.raw.on('close', () => {
        void stream.stop();
      });
      body.write(': stream of run events\n\n');
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(body);
    },
  );
};
