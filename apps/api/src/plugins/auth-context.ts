import type {
  ActiveSession,
  Actor,
  AuthDeps,
  Permission,
  Role,
  SessionRevocationListener,
} from '@switchyard/auth';

/**
 * What a route requires, declared on every route as `config: { policy }`. A route without one
 * makes the app fail at startup (deny by default, SECURITY.md 17).
 * - `public`: anyone; `request.auth` is always anonymous.
 * - `authenticated`: a signed-in user (API keys are refused).
 * - `org`: a member of the `:orgId` path parameter's org holding `permission` (or, with
 *   `allowApiKey`, a key of that org with the permission as scope); `request.org` is set.
 *   Non-members and keys of other orgs get 404, exactly like a missing org.
 * - `recent-auth`: a signed-in user who proved who they are within the re-authentication window.
 * - `platform-admin`: a signed-in user whose verified e-mail is in `PLATFORM_ADMIN_EMAILS`
 *   (operator routes across every org; API keys are refused).
 * - `metrics-token`: a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`; no user.
 */
export type RoutePolicy =
  | { kind: 'public' }
  | { kind: 'authenticated'; allowApiKey?: false }
  | { kind: 'org'; permission: Permission; allowApiKey?: boolean }
  | { kind: 'recent-auth' }
  | { kind: 'platform-admin' }
  | { kind: 'metrics-token' };

export type UserAuth = {
  kind: 'user';
  userId: string;
  sessionId: string;
  session: ActiveSession;
  /** `cookie` requests passed the CSRF check (unsafe methods). */
  via: 'bearer' | 'cookie';
};

type ApiKeyAuth = { kind: 'api_key'; apiKeyId: string; orgId: string; scopes: string[] };

export type RequestAuth = { kind: 'anonymous' } | UserAuth | ApiKeyAuth;

/** The org of an `org` route, after the membership (or key) and permission checks passed. */
export type RequestOrg = {
  orgId: string;
  /** The member's role; null for an API key. */
  role: Role | null;
  /** For further `can()` checks in services. */
  actor: Actor;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** Who is calling; set before any route handler runs. */
    auth: RequestAuth;
    /** Set on `org` routes only. */
    org: RequestOrg | null;
  }
  interface FastifyInstance {
    /** What every identity service of `@switchyard/auth` takes as `deps`. */
    authDeps: AuthDeps;
    /** Origins allowed to send cookie-authenticated mutations: CORS_ORIGINS and PUBLIC_URL's. */
    trustedOrigins: ReadonlySet<string>;
    /** `PLATFORM_ADMIN_EMAILS`, lowercased: who may use `platform-admin` routes. */
    platformAdminEmails: ReadonlySet<string>;
    /** `METRICS_TOKEN`, or null when `/metrics` is off. */
    metricsToken: string | null;
    /** This instance's subscription to session revocations (see `@switchyard/auth`). */
    sessionRevocationListener: SessionRevocationListener;
    /** See `setScopeRoutePolicy`. */
    [SCOPE_ROUTE_POLICY]?: RoutePolicy;
  }
}

/** Decoration holding the policy of a scope's third-party routes (see `setScopeRoutePolicy`). */
export const SCOPE_ROUTE_POLICY = 'scopeRoutePolicy' as const;

export const ANONYMOUS: RequestAuth = Object.freeze({ kind: 'anonymous' });
