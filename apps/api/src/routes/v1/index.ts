import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminRoutes } from './admin';
import { accountsRoutes } from './auth/accounts';
import { oauthRoutes } from './auth/oauth';
import { agentsRoutes } from './agents';
import { apiKeysRoutes } from './api-keys';
import { devMailboxRoutes } from './dev-mailbox';
import { profileRoutes } from './me/profile';
import { twoFactorRoutes } from './me/two-factor';
import type { V1RouteOptions } from './options';
import { orgsRoutes } from './orgs';
import { runsRoutes } from './runs';
import { schedulesRoutes } from './schedules';
import { sessionsRoutes } from './sessions';
import { teamsRoutes } from './teams';

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
  await app.register(agentsRoutes, options);
  await app.register(teamsRoutes, options);
  await app.register(runsRoutes, options);
  await app.register(schedulesRoutes, options);
  await app.register(adminRoutes, options);
  if (options.config.identity.devMailbox) await app.register(devMailboxRoutes, options);
};
