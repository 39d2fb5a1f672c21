import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { V1RouteOptions } from '../options';
import { auditLogRoutes } from './audit-log-routes';
import { invitationRoutes } from './invitation-routes';
import { memberRoutes } from './member-routes';
import { orgRoutes } from './org-routes';

/** `/v1/orgs/*` and `/v1/invitations/accept`. */
export const orgsRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  await app.register(orgRoutes, options);
  await app.register(memberRoutes, options);
  await app.register(invitationRoutes, options);
  await app.register(auditLogRoutes, options);
};
