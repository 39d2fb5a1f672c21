import type { AuthConfig } from '../config';

export type OAuthProviderSummary = { id: string; kind: 'oidc' | 'github'; displayName: string };

/** The configured providers, for the login page's buttons; never the credentials. */
export function listOAuthProviders(config: Pick<AuthConfig, 'oauth'>): OAuthProviderSummary[] {
  return config.oauth.providers.map(({ id, kind, displayName }) => ({ id, kind, displayName }));
}
