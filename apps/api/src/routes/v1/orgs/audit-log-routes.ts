import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listOrgAuditLog } from '@switchyard/auth';
import type { V1RouteOptions } from '../options';
import { auditEventSchema, orgIdParamsSchema, toAuditEventResponse } from './response-schemas';
import { orgActor } from './route-context';

/** `GET /v1/orgs/:orgId/audit-log`: security events of the org, newest first (admin). */
export const auditLogRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.get(
    '/v1/orgs/:orgId/audit-log',
    {
      config: { policy: { kind: 'org', permission: 'audit_log:read', allowApiKey: true } },
      schema: {
        summary: "Read the organization's audit log (admin)",
        description: 'Pass `nextCursor` of a page as `cursor` to get the next one.',
        tags: ['organizations'],
        params: orgIdParamsSchema,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().min(1).max(200).optional(),
        }),
        response: {
          200: z.object({
            events: z.array(auditEventSchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const page = await listOrgAuditLog(
        {
          actor: orgActor(request),
          orgId: request.params.orgId,
          limit: request.query.limit,
          cursor: request.query.cursor,
        },
        deps,
      );
      return { events: page.events.map(toAuditEventResponse), nextCursor: page.nextCursor };
    },
  );
};
