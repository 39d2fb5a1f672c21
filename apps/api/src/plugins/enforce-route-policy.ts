import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { can, getProfile, type Actor, type AuthDeps } from '@switchyard/auth';
import { getMembership, getOrganizationById } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { SCOPE_ROUTE_POLICY, type RequestOrg, type RoutePolicy } from './auth-context';
import { authenticateRequest, forbidden, notFound, requireUser } from './authenticate-request';
import { assertMetricsToken } from './metrics-token';
import { isPlatformAdmin } from './platform-admin';

/**
 * Declares the policy of every route a third-party plugin registers in `scope` (such as Swagger
 * UI's pages, which take no route config). Our own routes declare `config.policy` themselves.
 */
export function setScopeRoutePolicy(scope: FastifyInstance, policy: RoutePolicy): void {
  scope.decorate<RoutePolicy | undefined, typeof SCOPE_ROUTE_POLICY>(SCOPE_ROUTE_POLICY, policy);
}

async function resolveOrg(
  request: FastifyRequest,
  policy: Extract<RoutePolicy, { kind: 'org' }>,
  deps: AuthDeps,
): Promise<RequestOrg> {
  const params = request.params as Record<string, unknown> | undefined;
  const orgId = typeof params?.orgId === 'string' ? params.orgId : undefined;
  // A policy error, not a client one: the route lacks the parameter its policy needs.
  if (orgId === undefined) throw new Error(`route ${request.url} has an org policy but no :orgId`);
  const auth = request.auth;

  if (auth.kind === 'api_key') {
    if (auth.orgId !== orgId) throw notFound();
    if (!policy.allowApiKey) {
      throw forbidden('API keys cannot use this endpoint.', 'api_key_not_allowed');
    }
    const actor: Actor = {
      kind: 'api_key',
      orgId,
      apiKeyId: auth.apiKeyId,
      scopes: auth.scopes,
    };
    if (!can(actor, policy.permission, { orgId })) {
      throw new AppError('FORBIDDEN', {
        message: 'The API key lacks the scope this endpoint needs.',
        details: { permission: policy.permission },
      });
    }
    return { orgId, role: null, actor };
  }

  const user = requireUser(auth);
  const [membership, org] = await Promise.all([
    getMembership(deps.db, { orgId, userId: user.userId }),
    getOrganizationById(deps.db, { orgId }),
  ]);
  if (!membership || !org) throw notFound();
  if (org.requireTwoFactor && !user.session.twoFactorVerified) {
    throw forbidden(
      'This organization requires two-factor authentication. Enable it and sign in again.',
      'two_factor_required',
    );
  }
  const actor: Actor = {
    kind: 'member',
    orgId,
    userId: user.userId,
    role: membership.role,
  };
  if (!can(actor, policy.permission, { orgId })) {
    throw new AppError('FORBIDDEN', {
      message: 'You do not have permission to do this.',
      details: { permission: policy.permission },
    });
  }
  return { orgId, role: membership.role, actor };
}

/** Called with the caller as soon as it is known, before the policy's own checks. */
export type OnAuthenticated = (request: FastifyRequest) => void;

/** Authenticates the request as far as its route's policy needs, then enforces the policy. */
export async function enforceRoutePolicy(
  request: FastifyRequest,
  deps: AuthDeps,
  onAuthenticated?: OnAuthenticated,
): Promise<void> {
  const policy = request.routeOptions.config.policy;
  if (!policy) {
    // Unknown URLs reach the not-found handler, which has no route and no policy.
    if (request.is404) return;
    request.log.error({ url: request.routeOptions.url }, 'route without an auth policy');
    throw forbidden('Access denied.', 'no_policy');
  }
  if (policy.kind === 'public') return;
  // Before `authenticateRequest`: the scraper's bearer token is no user token.
  if (policy.kind === 'metrics-token') {
    assertMetricsToken(request);
    return;
  }

  request.auth = await authenticateRequest(request, deps);
  onAuthenticated?.(request);
  switch (policy.kind) {
    case 'authenticated':
      requireUser(request.auth);
      return;
    case 'recent-auth': {
      const user = requireUser(request.auth);
      const windowMs = deps.config.reauthenticationWindowSeconds * 1000;
      const now = deps.now ? deps.now() : new Date();
      if (now.getTime() - user.session.authenticatedAt.getTime() > windowMs) {
        throw new AppError('UNAUTHENTICATED', {
          message: 'Confirm your password to continue.',
          details: { reason: 'reauthentication_required' },
        });
      }
      return;
    }
    case 'org':
      request.org = await resolveOrg(request, policy, deps);
      return;
    case 'platform-admin': {
      const user = requireUser(request.auth);
      const emails = request.server.platformAdminEmails;
      // No query at all while nobody is an admin; the profile is cached per instance otherwise.
      if (
        emails.size === 0 ||
        !isPlatformAdmin((await getProfile({ userId: user.userId }, deps)).user, emails)
      ) {
        throw forbidden('This endpoint is for platform administrators.', 'not_platform_admin');
      }
      return;
    }
  }
}

/**
 * The `onRoute` guard: a route without `config.policy` (or a policy of its scope, see
 * `setScopeRoutePolicy`) stops the app from starting.
 */
export function assertRouteHasPolicy(this: FastifyInstance, route: RouteOptions): void {
  const scopePolicy = this.hasDecorator(SCOPE_ROUTE_POLICY) ? this[SCOPE_ROUTE_POLICY] : undefined;
  if (!route.config?.policy && scopePolicy) route.config = { ...route.config, policy: scopePolicy };
  const policy = route.config?.policy;
  if (!policy) {
    const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
    throw new Error(
      `${methods} ${route.url} declares no auth policy; add config: { policy: { kind: ... } } ` +
        '(SECURITY.md 17: deny by default)',
    );
  }
  if (policy.kind === 'org' && !route.url.includes(':orgId')) {
    throw new Error(`${route.method} ${route.url} has an org policy but no :orgId parameter`);
  }
}
