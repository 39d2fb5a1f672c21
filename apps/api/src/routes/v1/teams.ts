import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createTeam,
  createTeamSchema,
  deleteTeam,
  getTeam,
  listTeams,
  updateTeam,
  updateTeamSchema,
} from '@switchyard/agents';
import { AppError } from '@switchyard/shared';
import { runtimeActor } from './agent-runtime-context';
import {
  EXAMPLE_AGENT_ID,
  nextCursorSchema,
  pageQuerySchema,
  teamIdParamsSchema,
  teamSchema,
  toTeamResponse,
} from './agent-runtime-schemas';
import { withExamples } from './openapi-examples';
import type { V1RouteOptions } from './options';
import { orgIdParamsSchema } from './orgs/response-schemas';

const TAGS = ['teams'];

/**
 * An org's teams (`/v1/orgs/:orgId/teams`): agents under a strategy, each member's version
 * pinned when the team is saved. API keys with the scope may call.
 */
export const teamsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  const deps = { db: options.db };

  app.post(
    '/v1/orgs/:orgId/teams',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Create a team; members without a version get their current one pinned',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: withExamples(createTeamSchema, {
          name: 'Research desk',
          strategy: 'supervisor',
          planner: { agentId: EXAMPLE_AGENT_ID },
          members: [{ agentId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e', version: 1 }],
        }),
        response: { 201: teamSchema },
      },
    },
    async (request, reply) => {
      const team = await createTeam(
        { orgId: request.params.orgId, actor: runtimeActor(request), input: request.body },
        deps,
      );
      return reply.code(201).send(toTeamResponse(team));
    },
  );

  app.get(
    '/v1/orgs/:orgId/teams',
    {
      config: { policy: { kind: 'org', permission: 'agent:read', allowApiKey: true } },
      schema: {
        summary: "List the organization's teams, newest first",
        tags: TAGS,
        params: orgIdParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: z.object({ teams: z.array(teamSchema), nextCursor: nextCursorSchema }) },
      },
    },
    async (request) => {
      const page = await listTeams({ orgId: request.params.orgId, ...request.query }, deps);
      return { teams: page.items.map(toTeamResponse), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/orgs/:orgId/teams/:teamId',
    {
      config: { policy: { kind: 'org', permission: 'agent:read', allowApiKey: true } },
      schema: {
        summary: 'Get a team',
        tags: TAGS,
        params: teamIdParamsSchema,
        response: { 200: teamSchema },
      },
    },
    async (request) => {
      const team = await getTeam(request.params, deps);
      if (!team) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
      return toTeamResponse(team);
    },
  );

  app.patch(
    '/v1/orgs/:orgId/teams/:teamId',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Edit a team; members given again are re-pinned',
        description: 'Runs already started keep the team as it was.',
        tags: TAGS,
        params: teamIdParamsSchema,
        body: withExamples(updateTeamSchema, { name: 'Research desk (EU)' }),
        response: { 200: teamSchema },
      },
    },
    async (request) => {
      const team = await updateTeam(
        { ...request.params, actor: runtimeActor(request), input: request.body },
        deps,
      );
      return toTeamResponse(team);
    },
  );

  app.delete(
    '/v1/orgs/:orgId/teams/:teamId',
    {
      config: { policy: { kind: 'org', permission: 'agent:write', allowApiKey: true } },
      schema: {
        summary: 'Delete a team; runs already started keep their snapshot of it',
        description:
          'A 409 while a schedule starts the team; the problem lists them in `schedules` (id, name).',
        tags: TAGS,
        params: teamIdParamsSchema,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      await deleteTeam({ ...request.params, actor: runtimeActor(request) }, deps);
      return reply.code(204).send(null);
    },
  );
};
