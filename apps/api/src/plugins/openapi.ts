import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { setScopeRoutePolicy } from './authenticate';

export const API_VERSION = '0.1.0';
export const DOCS_PREFIX = '/docs';

/**
 * OpenAPI document built from the zod route schemas, served at `GET /openapi.json`, and Swagger
 * UI at `/docs`. Register before the routes: the document is collected as routes are added.
 */
export type OpenApiPluginOptions = {
  /** The path browsers reach the api under (`/api` behind the web origin's proxy). */
  publicPath: string;
};

export const openApiPlugin = fp(
  async (app: FastifyInstance, options: OpenApiPluginOptions) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Switchyard API',
          description: 'Errors are RFC 9457 problem details (`application/problem+json`).',
          version: API_VERSION,
        },
        servers: [{ url: options.publicPath || '/', description: 'This deployment' }],
        tags: [
          { name: 'health', description: 'Liveness and readiness probes' },
          {
            name: 'admin',
            description:
              'The worker manager, for platform admins (verified e-mail in PLATFORM_ADMIN_EMAILS)',
          },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });

    // Public whenever docs are on; env.ts keeps them off in production unless asked for.
    await app.register(async (docs) => {
      setScopeRoutePolicy(docs, { kind: 'public' });
      await docs.register(fastifySwaggerUi, {
        routePrefix: DOCS_PREFIX,
        // The UI's assets are linked absolutely; browsers fetch them through the public path.
        ...(options.publicPath ? { indexPrefix: options.publicPath } : {}),
        // Swagger UI's own CSP (hashes of its inline code) replaces helmet's on the UI's pages;
        // without the upgrade directive so it also works over plain http on localhost.
        staticCSP: true,
        transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
      });
    });

    app.get(
      '/openapi.json',
      { schema: { hide: true }, config: { policy: { kind: 'public' } } },
      () => app.swagger(),
    );
  },
  { name: 'openapi' },
);
