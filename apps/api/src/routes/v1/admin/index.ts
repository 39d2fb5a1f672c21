import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { V1RouteOptions } from '../options';
import { adminQueueRoutes } from './queue-routes';
import { adminWorkerRoutes } from './worker-routes';

/**
 * The worker manager (`/v1/admin`): operator routes across every org, for platform admins only
 * (`PLATFORM_ADMIN_EMAILS`).
 */
export const adminRoutes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  await app.register(adminQueueRoutes, options);
  await app.register(adminWorkerRoutes, options);
};
