import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Every route of the app as registered, plugins' own included, HEAD routes too. For tests
     * and introspection: read it, never change it.
     */
    registeredRoutes: readonly RouteOptions[];
  }
}

/**
 * Records every route registered from now on in `app.registeredRoutes`. Call it first thing on
 * the root instance, before any plugin can add a route. The options objects are kept as they are,
 * so changes later `onRoute` hooks make (the policy guard fills in scope policies) show.
 */
export function recordRoutes(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
}
