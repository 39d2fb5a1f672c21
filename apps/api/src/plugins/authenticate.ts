import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  buildOAuthProviderConfigs,
  startSessionRevocationListener,
  type AuthConfig,
  type AuthDeps,
  type ThrottleSettings,
} from '@switchyard/auth';
import { AppError } from '@switchyard/shared';
import type { ApiConfig } from '../env';
import { ANONYMOUS } from './auth-context';
import { assertOriginAllowed, SAFE_METHODS } from './authenticate-request';
import { assertRouteHasPolicy, enforceRoutePolicy } from './enforce-route-policy';
import {
  createPrincipalRateLimiter,
  principalOf,
  principalRateLimitedError,
  RATE_LIMIT_LIMIT_HEADER,
  RATE_LIMIT_REMAINING_HEADER,
} from './principal-rate-limit';

export type { RoutePolicy, UserAuth } from './auth-context';
export { assertCsrf } from './authenticate-request';
export { setScopeRoutePolicy } from './enforce-route-policy';

export type AuthenticatePluginOptions = {
  config: ApiConfig;
  deps: Omit<AuthDeps, 'config'>;
  /** Progressive delays after failed sign-ins; the defaults of `@switchyard/auth` when unset. */
  throttle?: ThrottleSettings;
  /** Clock of the per-principal rate limit, in ms since the epoch (tests); `Date.now` otherwise. */
  now?: () => number;
};

/** The `AuthConfig` of the API's settings. */
function createAuthConfig(config: ApiConfig, throttle?: ThrottleSettings): AuthConfig {
  const identity = config.identity;
  return {
    publicUrl: config.publicUrl,
    authSecret: identity.authSecret,
    issuer: config.publicUrl,
    audience: 'switchyard-api',
    accessTokenTtlSeconds: identity.accessTokenTtlSeconds,
    sessionIdleTimeoutSeconds: identity.sessionIdleTimeoutSeconds,
    sessionAbsoluteLifetimeSeconds: identity.sessionAbsoluteLifetimeSeconds,
    reauthenticationWindowSeconds: 600,
    emailTokenTtlSeconds: 600,
    invitationTtlSeconds: 7 * 24 * 3600,
    cookieSecure: true,
    mail: { from: identity.mailFrom, smtpUrl: identity.smtpUrl, devMailbox: identity.devMailbox },
    oauth: {
      providers: buildOAuthProviderConfigs({
        google: identity.google,
        github: identity.github,
        oidc: identity.oidc,
      }),
    },
    throttle,
  };
}

/**
 * Authentication and authorisation for every route registered after it: resolves
 * `request.auth`, enforces each route's `config.policy`, checks CSRF on cookie-authenticated
 * mutations and `Origin` on every unsafe request, and keeps the in-process session cache in
 * step with revocations on other instances. Needs `@fastify/cookie`.
 */
export const authenticatePlugin = fp(
  async (app: FastifyInstance, options: AuthenticatePluginOptions) => {
    const deps: AuthDeps = {
      ...options.deps,
      config: createAuthConfig(options.config, options.throttle),
    };
    app.decorate('authDeps', deps);
    app.decorate(
      'trustedOrigins',
      new Set([...options.config.corsOrigins, new URL(options.config.publicUrl).origin]),
    );
    app.decorate('platformAdminEmails', new Set(options.config.platformAdminEmails));
    app.decorate('metricsToken', options.config.metricsToken ?? null);
    // Set per request in onRequest (objects cannot be decoration defaults).
    app.decorateRequest('auth', null, []);
    app.decorateRequest('org', null, []);

    const listener = startSessionRevocationListener(deps);
    app.decorate('sessionRevocationListener', listener);
    app.addHook('onClose', async () => {
      await listener.close();
    });

    app.addHook('onRoute', assertRouteHasPolicy);

    // The general per-principal limit of every authenticated route (see principal-rate-limit.ts
    // for why it is per instance); counted before org checks so a runaway client costs no query.
    const limitPerMinute = options.config.apiRateLimitPerMinute;
    const limiter =
      limitPerMinute > 0 ? createPrincipalRateLimiter({ limitPerMinute, now: options.now }) : null;
    const limitPrincipal = limiter
      ? (request: FastifyRequest, reply: FastifyReply): void => {
          const principal = principalOf(request.auth);
          if (principal === null) return;
          const result = limiter.take(principal);
          if (!result.allowed) {
            request.log.info({ route: request.routeOptions.url }, 'api rate limit exceeded');
            throw principalRateLimitedError(result.limit, result.retryAfterSeconds);
          }
          reply.header(RATE_LIMIT_LIMIT_HEADER, result.limit);
          reply.header(RATE_LIMIT_REMAINING_HEADER, result.remaining);
        }
      : null;

    app.addHook('onRequest', async (request, reply) => {
      request.auth = ANONYMOUS;
      request.org = null;
      if (!SAFE_METHODS.has(request.method)) assertOriginAllowed(request, false);
      try {
        await enforceRoutePolicy(
          request,
          deps,
          limitPrincipal ? () => limitPrincipal(request, reply) : undefined,
        );
      } catch (error) {
        if (error instanceof AppError && (error.status === 401 || error.status === 403)) {
          // SECURITY.md 34: denied access is logged, never with the credential.
          request.log.info(
            { code: error.code, reason: error.details?.reason, route: request.routeOptions.url },
            'access denied',
          );
        }
        throw error;
      }
    });
  },
  { name: 'authenticate', dependencies: ['@fastify/cookie'] },
);
