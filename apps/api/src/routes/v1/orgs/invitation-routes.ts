import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  acceptInvitation,
  acceptInvitationSchema,
  createInvitation,
  createInvitationSchema,
  listInvitations,
  revokeInvitation,
} from '@switchyard/auth';
import type { V1RouteOptions } from '../options';
import {
  invitationSchema,
  orgIdParamsSchema,
  roleSchema,
  toInvitationResponse,
} from './response-schemas';
import { auditContext, orgActor, orgMemberActor, requestUser } from './route-context';

const TAGS = ['organizations'];

/** Invitations: create, list and revoke (admin), and accept (the invited, signed-in user). */
export const invitationRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.get(
    '/v1/orgs/:orgId/invitations',
    {
      config: { policy: { kind: 'org', permission: 'member:invite' } },
      schema: {
        summary: 'List the pending invitations of an organization (admin)',
        tags: TAGS,
        params: orgIdParamsSchema,
        response: { 200: z.object({ invitations: z.array(invitationSchema) }) },
      },
    },
    async (request) => {
      const invitations = await listInvitations(
        { actor: orgActor(request), orgId: request.params.orgId },
        deps,
      );
      return { invitations: invitations.map(toInvitationResponse) };
    },
  );

  app.post(
    '/v1/orgs/:orgId/invitations',
    {
      config: { policy: { kind: 'org', permission: 'member:invite' } },
      schema: {
        summary: 'Invite someone by e-mail (admin)',
        description:
          'E-mails a single-use link that expires after 7 days and works only for an account ' +
          'whose verified e-mail is the invited address. Replaces a pending invitation of the ' +
          'same address. The token is never returned.',
        tags: TAGS,
        params: orgIdParamsSchema,
        body: createInvitationSchema.meta({
          examples: [{ email: 'ada@example.com', role: 'member' }],
        }),
        response: { 201: invitationSchema },
      },
    },
    async (request, reply) => {
      const invitation = await createInvitation(
        {
          actor: orgMemberActor(request),
          orgId: request.params.orgId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
      return reply.code(201).send(toInvitationResponse(invitation));
    },
  );

  app.delete(
    '/v1/orgs/:orgId/invitations/:invitationId',
    {
      config: { policy: { kind: 'org', permission: 'member:invite' } },
      schema: {
        summary: 'Revoke a pending invitation (admin)',
        tags: TAGS,
        params: orgIdParamsSchema.extend({ invitationId: z.uuid() }),
        response: { 204: z.null().describe('Revoked') },
      },
    },
    async (request, reply) => {
      await revokeInvitation(
        {
          actor: orgActor(request),
          orgId: request.params.orgId,
          invitationId: request.params.invitationId,
          context: auditContext(request),
        },
        deps,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/invitations/accept',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'Accept an invitation with the token from its e-mail',
        description:
          'You join with the role the invitation was made for; your verified e-mail must be the ' +
          'invited address.',
        tags: TAGS,
        body: acceptInvitationSchema.meta({
          examples: [{ token: 'Yk9n3m2S4pXq7c0R1vT8wZ5uH6jK2lN4bD9fG3aE1sQ' }],
        }),
        response: {
          200: z.object({
            orgId: z.uuid(),
            orgName: z.string(),
            role: roleSchema,
          }),
        },
      },
    },
    async (request) => {
      return acceptInvitation(
        {
          userId: requestUser(request).userId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
    },
  );
};
