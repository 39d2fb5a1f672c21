import { AppError } from '@switchyard/shared';
import type { AuthConfig, OAuthProviderConfig } from '../config';

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const GITHUB_OAUTH_BASE_URL = 'https://github.com';
export const GITHUB_API_BASE_URL = 'https://api.github.com';

/** Credentials of the providers an operator turned on; each one is off while unset. */
export type OAuthProviderSettings = {
  google?: {
    clientId: string;
    clientSecret: string;
    /** `https://accounts.google.com` unless overridden (a test double). */
    issuer?: string;
  };
  github?: {
    clientId: string;
    clientSecret: string;
    /** `https://github.com` unless GitHub Enterprise (or a test double) is used. */
    oauthBaseUrl?: string;
    /** `https://api.github.com` unless GitHub Enterprise (or a test double) is used. */
    apiBaseUrl?: string;
  };
  /** Any OpenID Connect provider (Okta, Entra ID, Keycloak, Authentik…), found by discovery. */
  oidc?: { issuer: string; clientId: string; clientSecret: string; displayName?: string };
};

/** The provider list of `AuthConfig.oauth` from the app's settings. */
export function buildOAuthProviderConfigs(settings: OAuthProviderSettings): OAuthProviderConfig[] {
  const providers: OAuthProviderConfig[] = [];
  if (settings.google) {
    providers.push({
      id: 'google',
      kind: 'oidc',
      displayName: 'Google',
      clientId: settings.google.clientId,
      clientSecret: settings.google.clientSecret,
      issuer: settings.google.issuer ?? GOOGLE_ISSUER,
      scopes: ['openid', 'email', 'profile'],
    });
  }
  if (settings.github) {
    const oauthBase = trimTrailingSlash(settings.github.oauthBaseUrl ?? GITHUB_OAUTH_BASE_URL);
    providers.push({
      id: 'github',
      kind: 'github',
      displayName: 'GitHub',
      clientId: settings.github.clientId,
      clientSecret: settings.github.clientSecret,
      authorizationUrl: `${oauthBase}/login/oauth/authorize`,
      tokenUrl: `${oauthBase}/login/oauth/access_token`,
      apiBaseUrl: trimTrailingSlash(settings.github.apiBaseUrl ?? GITHUB_API_BASE_URL),
      // `user:email` is needed to read the verified addresses of `/user/emails`.
      scopes: ['read:user', 'user:email'],
    });
  }
  if (settings.oidc) {
    providers.push({
      id: 'oidc',
      kind: 'oidc',
      displayName: settings.oidc.displayName ?? 'Single sign-on',
      clientId: settings.oidc.clientId,
      clientSecret: settings.oidc.clientSecret,
      issuer: settings.oidc.issuer,
      scopes: ['openid', 'email', 'profile'],
    });
  }
  return providers;
}

/** The configured provider with this id, or NOT_FOUND exactly like an unknown route. */
export function getOAuthProviderOrThrow(
  config: AuthConfig,
  providerId: string,
): OAuthProviderConfig {
  const provider = config.oauth.providers.find((candidate) => candidate.id === providerId);
  if (!provider) {
    throw new AppError('NOT_FOUND', { message: 'This sign-in provider is not configured.' });
  }
  return provider;
}

/**
 * Where the provider sends the browser back: the API as the browser sees it, behind the web
 * app's `/api` proxy. Built from PUBLIC_URL only (never from request headers); operators
 * register exactly this URL at the provider.
 */
export function getOAuthCallbackUrl(
  config: Pick<AuthConfig, 'publicUrl'>,
  providerId: string,
): string {
  return `${trimTrailingSlash(config.publicUrl)}/api/v1/auth/oauth/${providerId}/callback`;
}

/**
 * Provider endpoints must be HTTPS; plain HTTP is accepted on loopback only (a local identity
 * provider in development, or a test double).
 */
export function isAllowedProviderUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

export function trimTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
