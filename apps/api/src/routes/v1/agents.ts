import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createAgent,
  createAgentSchema,
  deleteAgent,
  getAgent,
  listAgents,
  listAgentVersions,
  updateAgentSchema,
  updateAgent,
} from '@switchyard/agents';
import { AppError } from '@switchyard/shared';
import {
  agentIdParamsSchema,
  agentSchema,
  agentVersionSchema,
  nextCursorSchema,
  pageQuerySchema,
  toAgentResponse,
  toAgentVersionResponse,
} from './agent-runtime-schemas';
import { runtimeActor } from './agent-runtime-context';
import { withExamples } from './openapi-examples';
import type { V1RouteOptions } from './options';
import { orgIdParamsSchema } from './orgs/response-schemas';

const TAGS = ['agents'];

const notFound = () => new AppError('NOT_FOUND', { message: 'Agent not found.' });

/**
 * An org's agents (`/v1/orgs/:orgId/agents`): create, list, read (any version), edit (every edit
 * is a new version; runs keep the version they pinned), delete. API keys with the scope may call.
 */
export const agentsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  const deps = { db: options.db };

  app.post(
    '/v1/orgs/:orgId/agents',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Create an agent (version 1)',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: withExamples(createAgentSchema, {
          name: 'Researcher',
          instructions: 'You research a topic and answer with sources.',
          provider: 'scripted',
          model: 'scripted',
          parameters: { temperature: 0.2 },
          tools: ['http_fetch', 'calculator'],
          maxSteps: 10,
        }),
        response: { 201: agentSchema },
      },
    },
    async (request, reply) => {
      const agent = await createAgent(
        { orgId: request.params.orgId, actor: runtimeActor(request), input: request.body },
        deps,
      );
      return reply.code(201).send(toAgentResponse(agent));
    },
  );

  app.get(
    '/v1/orgs/:orgId/agents',
    {
      config: { policy: { kind: 'org', permission: 'agent:read', allowApiKey: true } },
      schema: {
        summary: "List the organization's agents, newest first",
        tags: TAGS,
        params: orgIdParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: z.object({ agents: z.array(agentSchema), nextCursor: nextCursorSchema }) },
      },
    },
    async (request) => {
      const page = await listAgents({ orgId: request.params.orgId, ...request.query }, deps);
      return { agents: page.items.map(toAgentResponse), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/orgs/:orgId/agents/:agentId',
    {
      config: { policy: { kind: 'org', permission: 'agent:read', allowApiKey: true } },
      schema: {
        summary: 'Get an agent with its current definition (or `?version=`)',
        tags: TAGS,
        params: agentIdParamsSchema,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: { 200: agentSchema },
      },
    },
    async (request) => {
      const agent = await getAgent(
        {
          orgId: request.params.orgId,
          agentId: request.params.agentId,
          ...(request.query.version === undefined ? {} : { version: request.query.version }),
        },
        deps,
      );
      if (!agent) throw notFound();
      return toAgentResponse(agent);
    },
  );

  app.get(
    '/v1/orgs/:orgId/agents/:agentId/versions',
    {
      config: { policy: { kind: 'org', permission: 'agent:read', allowApiKey: true } },
      schema: {
        summary: "List an agent's versions, newest first",
        tags: TAGS,
        params: agentIdParamsSchema,
        response: { 200: z.object({ versions: z.array(agentVersionSchema) }) },
      },
    },
    async (request) => {
      const versions = await listAgentVersions(
        { orgId: request.params.orgId, agentId: request.params.agentId },
        deps,
      );
      if (!versions) throw notFound();
      return { versions: versions.map(toAgentVersionResponse) };
    },
  );

  app.patch(
    '/v1/orgs/:orgId/agents/:agentId',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Edit an agent: saves the changed fields as its next version',
        description: 'Runs and teams that pinned an earlier version keep it.',
        tags: TAGS,
        params: agentIdParamsSchema,
        body: withExamples(updateAgentSchema, { instructions: 'Answer in one paragraph.' }),
        response: { 200: agentSchema },
      },
    },
    async (request) => {
      const agent = await updateAgent(
        {
          orgId: request.params.orgId,
          agentId: request.params.agentId,
          actor: runtimeActor(request),
          input: request.body,
        },
        deps,
      );
      return toAgentResponse(agent);
    },
  );

  app.delete(
    '/v1/orgs/:orgId/agents/:agentId',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Delete an agent; runs and teams that pinned a version keep working',
        description:
          'A 409 while a schedule starts the agent; the problem lists them in `schedules` (id, name).',
        tags: TAGS,
        params: agentIdParamsSchema,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      await deleteAgent(
        {
          orgId: request.params.orgId,
          agentId: request.params.agentId,
          actor: runtimeActor(request),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );
};
