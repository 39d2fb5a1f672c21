import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createApiKey,
  createApiKeySchema,
  listApiKeys,
  revokeApiKey,
  revokeApiKeyById,
} from '@switchyard/auth';
import type { V1RouteOptions } from './options';
import {
  apiKeySchema,
  apiKeyScopesDescription,
  orgIdParamsSchema,
  toApiKeyResponse,
} from './orgs/response-schemas';
import {
  auditContext,
  isTwoFactorVerified,
  orgActor,
  orgMemberActor,
  requestUser,
} from './orgs/route-context';

const TAGS = ['api keys'];

/**
 * Org API keys. The org always comes from the path (`/v1/orgs/:orgId/api-keys`), so the route
 * policy checks it; `DELETE /v1/api-keys/:keyId` resolves the org from the key and answers 404
 * for a key of an org the caller is not a member of.
 */
export const apiKeysRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app) => {
  const deps = app.authDeps;

  app.get(
    '/v1/orgs/:orgId/api-keys',
    {
      config: { policy: { kind: 'org', permission: 'api_key:read' } },
      schema: {
        summary: "List an organization's API keys (admin); never the keys themselves",
        tags: TAGS,
        params: orgIdParamsSchema,
        querystring: z.object({
          includeRevoked: z.enum(['true', 'false']).default('false'),
        }),
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema) }) },
      },
    },
    async (request) => {
      const keys = await listApiKeys(
        {
          actor: orgActor(request),
          orgId: request.params.orgId,
          includeRevoked: request.query.includeRevoked === 'true',
        },
        deps,
      );
      return { apiKeys: keys.map(toApiKeyResponse) };
    },
  );

  app.post(
    '/v1/orgs/:orgId/api-keys',
    {
      config: { policy: { kind: 'org', permission: 'api_key:create' } },
      schema: {
        summary: 'Create an API key (admin); the key is in this response only',
        description: `${apiKeyScopesDescription} A key can hold only permissions its creator holds.`,
        tags: TAGS,
        params: orgIdParamsSchema,
        body: createApiKeySchema.meta({
          examples: [
            {
              name: 'CI deploys',
              scopes: ['run:create', 'run:read'],
              expiresAt: '2030-01-01T00:00:00Z',
            },
          ],
        }),
        response: {
          201: z.object({
            apiKey: apiKeySchema,
            key: z
              .string()
              .describe('`sy_<prefix>_<secret>`: store it now, it is never shown again.'),
          }),
        },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(
        {
          actor: orgMemberActor(request),
          orgId: request.params.orgId,
          input: request.body,
          context: auditContext(request),
        },
        deps,
      );
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ apiKey: toApiKeyResponse(created.apiKey), key: created.key });
    },
  );

  app.delete(
    '/v1/orgs/:orgId/api-keys/:keyId',
    {
      config: { policy: { kind: 'org', permission: 'api_key:revoke' } },
      schema: {
        summary: 'Revoke an API key (admin); it stops working at once',
        tags: TAGS,
        params: orgIdParamsSchema.extend({ keyId: z.uuid() }),
        response: { 200: apiKeySchema },
      },
    },
    async (request) => {
      const revoked = await revokeApiKey(
        {
          actor: orgActor(request),
          orgId: request.params.orgId,
          keyId: request.params.keyId,
          context: auditContext(request),
        },
        deps,
      );
      return toApiKeyResponse(revoked);
    },
  );

  app.delete(
    '/v1/api-keys/:keyId',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        summary: 'Revoke an API key by id (admin of its organization)',
        tags: TAGS,
        params: z.object({ keyId: z.uuid() }),
        response: { 200: apiKeySchema },
      },
    },
    async (request) => {
      const revoked = await revokeApiKeyById(
        {
          userId: requestUser(request).userId,
          keyId: request.params.keyId,
          twoFactorVerified: isTwoFactorVerified(request),
          context: auditContext(request),
        },
        deps,
      );
      return toApiKeyResponse(revoked);
    },
  );
};
