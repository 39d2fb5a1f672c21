import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createOrg,
  createOrgSchema,
  deleteOrg,
  getOrg,
  listMyOrgs,
  updateOrg,
  updateOrgSchema,
} from '@switchyard/auth';
import type { V1RouteOptions } from '../options';
import { myOrgSchema, orgIdParamsSchema, orgSchema, toOrgResponse } from './response-schemas';
import { auditContext, isTwoFactorVerified, orgActor, requestUser } from './route-context';

const TAGS = ['organizations'];

/** `/v1/orgs` and `/v1/orgs/:orgId`: create, list mine, read, update, delete. */
export const orgRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.post(
    '/v1/orgs',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'Create an organization; you become its owner',
        tags: TAGS,
        body: createOrgSchema.meta({ examples: [{ name: 'Acme Robotics' }] }),
        response: { 201: orgSchema },
      },
    },
    async (request, reply) => {
      const user = requestUser(request);
      const org = await createOrg(
        { userId: user.userId, input: request.body, context: auditContext(request) },
        deps,
      );
      return reply.code(201).send(toOrgResponse(org));
    },
  );

  app.get(
    '/v1/orgs',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'List the organizations you belong to, with your role in each',
        tags: TAGS,
        response: { 200: z.object({ orgs: z.array(myOrgSchema) }) },
      },
    },
    async (request) => {
      const orgs = await listMyOrgs({ userId: requestUser(request).userId }, deps);
      return { orgs: orgs.map((org) => ({ ...org, joinedAt: org.joinedAt.toISOString() })) };
    },
  );

  app.get(
    '/v1/orgs/:orgId',
    {
      config: { policy: { kind: 'org', permission: 'org:read', allowApiKey: true } },
      schema: {
        summary: 'Get an organization',
        tags: TAGS,
        params: orgIdParamsSchema,
        response: { 200: orgSchema },
      },
    },
    async (request) => {
      const org = await getOrg({ actor: orgActor(request), orgId: request.params.orgId }, deps);
      return toOrgResponse(org);
    },
  );

  app.patch(
    '/v1/orgs/:orgId',
    {
      config: { policy: { kind: 'org', permission: 'org:update' } },
      schema: {
        summary: 'Rename an organization or require two-factor authentication (admin)',
        description:
          'Turning `requireTwoFactor` on needs a session that verified a second factor, so that ' +
          'the admin doing it is not locked out.',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: updateOrgSchema.meta({
          examples: [{ name: 'Acme Robotics', requireTwoFactor: true }],
        }),
        response: { 200: orgSchema },
      },
    },
    async (request) => {
      const org = await updateOrg(
        {
          actor: orgActor(request),
          orgId: request.params.orgId,
          input: request.body,
          actorTwoFactorVerified: isTwoFactorVerified(request),
          context: auditContext(request),
        },
        deps,
      );
      return toOrgResponse(org);
    },
  );

  app.delete(
    '/v1/orgs/:orgId',
    {
      config: { policy: { kind: 'org', permission: 'org:delete' } },
      schema: {
        summary: 'Delete an organization with its members, invitations and keys (owner)',
        description: 'A personal organization is deleted only with its account.',
        tags: TAGS,
        params: orgIdParamsSchema,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      await deleteOrg(
        { actor: orgActor(request), orgId: request.params.orgId, context: auditContext(request) },
        deps,
      );
      return reply.code(204).send(null);
    },
  );
};
