import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  changeMemberRole,
  changeMemberRoleSchema,
  listOrgMembers,
  removeMember,
  transferOwnership,
  transferOwnershipSchema,
} from '@switchyard/auth';
import type { V1RouteOptions } from '../options';
import {
  memberSchema,
  membershipSchema,
  orgIdParamsSchema,
  toMemberResponse,
} from './response-schemas';
import { auditContext, orgActor, orgMemberActor } from './route-context';

const TAGS = ['organizations'];
const memberParamsSchema = orgIdParamsSchema.extend({ userId: z.uuid() });

/** Members of an org: list, change role, remove, leave, transfer ownership. */
export const memberRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.get(
    '/v1/orgs/:orgId/members',
    {
      config: { policy: { kind: 'org', permission: 'member:read' } },
      schema: {
        summary: 'List the members of an organization',
        tags: TAGS,
        params: orgIdParamsSchema,
        response: { 200: z.object({ members: z.array(memberSchema) }) },
      },
    },
    async (request) => {
      const members = await listOrgMembers(
        { actor: orgActor(request), orgId: request.params.orgId },
        deps,
      );
      return { members: members.map(toMemberResponse) };
    },
  );

  app.patch(
    '/v1/orgs/:orgId/members/:userId',
    {
      config: { policy: { kind: 'org', permission: 'member:update' } },
      schema: {
        summary: "Change a member's role (admin)",
        description:
          "Only an owner can make someone an owner or change an owner's role; the last owner " +
          'cannot step down (transfer ownership instead).',
        tags: TAGS,
        params: memberParamsSchema,
        body: changeMemberRoleSchema.meta({ examples: [{ role: 'admin' }] }),
        response: { 200: membershipSchema },
      },
    },
    async (request) => {
      const membership = await changeMemberRole(
        {
          actor: orgMemberActor(request),
          orgId: request.params.orgId,
          userId: request.params.userId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
      return { orgId: membership.orgId, userId: membership.userId, role: membership.role };
    },
  );

  app.delete(
    '/v1/orgs/:orgId/members/:userId',
    {
      config: { policy: { kind: 'org', permission: 'member:remove' } },
      schema: {
        summary: 'Remove a member (admin); only an owner can remove an owner',
        tags: TAGS,
        params: memberParamsSchema,
        response: { 204: z.null().describe('Removed') },
      },
    },
    async (request, reply) => {
      await removeMember(
        {
          actor: orgMemberActor(request),
          orgId: request.params.orgId,
          userId: request.params.userId,
          context: auditContext(request),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/orgs/:orgId/leave',
    {
      // Every member may leave; the service checks `member:remove` on their own membership.
      config: { policy: { kind: 'org', permission: 'org:read' } },
      schema: {
        summary: 'Leave an organization',
        description: 'The last owner cannot leave: transfer ownership first.',
        tags: TAGS,
        params: orgIdParamsSchema,
        response: { 204: z.null().describe('Left') },
      },
    },
    async (request, reply) => {
      const actor = orgMemberActor(request);
      await removeMember(
        {
          actor,
          orgId: request.params.orgId,
          userId: actor.userId,
          context: auditContext(request),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/orgs/:orgId/transfer-ownership',
    {
      config: { policy: { kind: 'org', permission: 'org:transfer' } },
      schema: {
        summary: 'Hand the organization to another member (owner); you become an admin',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: transferOwnershipSchema.meta({
          examples: [{ newOwnerUserId: '0b8e9c1e-5f8a-4a47-9d6e-2f1a3b4c5d6e' }],
        }),
        response: { 204: z.null().describe('Transferred') },
      },
    },
    async (request, reply) => {
      await transferOwnership(
        {
          actor: orgMemberActor(request),
          orgId: request.params.orgId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );
};
