import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountsRoutes } from './auth/accounts';
import { oauthRoutes } from './auth/oauth';
import { apiKeysRoutes } from './api-keys';
import { devMailboxRoutes } from './dev-mailbox';
import { profileRoutes } from './me/profile';
import { twoFactorRoutes } from './me/two-factor';
import type { V1RouteOptions } from './options';
import { orgsRoutes } from './orgs';
import { sessionsRoutes } from './sessions';

export type { V1RouteOptions } from './options';

/** Every `/v1` route group. Each route declares its auth policy in `config.policy`. */
export const v1Routes: FastifyPluginAsyncZod<V1RouteOptions> = async (app, options) => {
  await app.register(sessionsRoutes, options);
  await app.register(accountsRoutes, options);
  await app.register(oauthRoutes, options);
  await app.register(profileRoutes, options);
  await app.register(twoFactorRoutes, options);
  await app.register(orgsRoutes, options);
  await app.register(apiKeysRoutes, options);
  if (options.config.identity.devMailbox) await app.register(devMailboxRoutes, options);
};
