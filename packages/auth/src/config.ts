import type { Database } from '@switchyard/database';
import type { Logger, Redis } from '@switchyard/shared';

/**
 * One configured OAuth 2.0 / OpenID Connect provider. Declared here so that `AuthConfig` needs no
 * import from the OAuth area; the OAuth code (area D) uses this type.
 */
export type OAuthProviderConfig = {
  /** URL segment and stored provider name: `google`, `github`, or any configured id. */
  id: string;
  kind: 'oidc' | 'github';
  displayName: string;
  clientId: string;
  clientSecret: string;
  /** OIDC issuer, used for discovery. */
  issuer?: string;
  /** GitHub endpoints, overridable for tests. */
  authorizationUrl?: string;
  tokenUrl?: string;
  apiBaseUrl?: string;
  scopes: string[];
};

/** Progressive delays for one kind of subject (an account, or an IP address). */
export type FailureDelaySettings = {
  /** Failures within the window that cost nothing; each further one is followed by a delay. */
  freeFailures: number;
  /** The delay after the first failure past `freeFailures`; it doubles with every next one. */
  initialDelaySeconds: number;
  /** The cap of the doubling delay. */
  maxDelaySeconds: number;
  /** Failures are forgotten this long after the last one (the Redis key expires too). */
  windowSeconds: number;
};

/**
 * Progressive delays after failed sign-in attempts (SECURITY.md 1), per account and per IP.
 * Declared here so `AuthConfig` needs no import from `throttle/`, which holds the defaults.
 */
export type ThrottleSettings = { account: FailureDelaySettings; ip: FailureDelaySettings };

/** Everything identity code needs to know about the deployment; built once from the app env. */
export type AuthConfig = {
  /** PUBLIC_URL: every link in an e-mail is built from this only, never from request headers. */
  publicUrl: string;
  /** AUTH_SECRET (≥32 chars): encrypts TOTP secrets and private JWKs. */
  authSecret: string;
  /** JWT `iss`; the public URL. */
  issuer: string;
  /** JWT `aud`; `switchyard-api`. */
  audience: string;
  /** Access token lifetime; default 600. */
  accessTokenTtlSeconds: number;
  /** A session unused for this long ends; default 43 200 (12 h). */
  sessionIdleTimeoutSeconds: number;
  /** A session ends this long after login however active it is; default 2 592 000 (30 d). */
  sessionAbsoluteLifetimeSeconds: number;
  /** Sensitive actions need `authenticatedAt` within this many seconds; 600. */
  reauthenticationWindowSeconds: number;
  /** E-mailed links and codes; ≤ 600 (SECURITY.md 6). */
  emailTokenTtlSeconds: number;
  /** Invitations; 7 days. */
  invitationTtlSeconds: number;
  /** Cookies carry `Secure`; true everywhere (browsers treat localhost as secure). */
  cookieSecure: boolean;
  mail: { from: string; smtpUrl?: string; devMailbox: boolean };
  oauth: { providers: OAuthProviderConfig[] };
  /** Delays after failed sign-ins; `DEFAULT_THROTTLE_SETTINGS` when omitted. */
  throttle?: ThrottleSettings;
};

/** What every identity service receives besides its own options. */
export type AuthDeps = {
  db: Database;
  redis: Redis;
  log: Logger;
  config: AuthConfig;
  /** Clock; tests inject one to reach timeouts without waiting. */
  now?: () => Date;
};

/** The current time of `deps`: the injected clock or the real one. */
export function getNow(deps: Pick<AuthDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}
