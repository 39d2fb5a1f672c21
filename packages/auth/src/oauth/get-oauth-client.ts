import type { OAuthProviderConfig } from '../config';
import { createGithubClient } from './create-github-client';
import { createOidcClient } from './create-oidc-client';
import type { OAuthClient } from './oauth-client';

// One client per provider config object, so OIDC discovery runs once per process.
const clients = new WeakMap<OAuthProviderConfig, OAuthClient>();

export function getOAuthClient(provider: OAuthProviderConfig): OAuthClient {
  let client = clients.get(provider);
  if (!client) {
    client = provider.kind === 'github' ? createGithubClient(provider) : createOidcClient(provider);
    clients.set(provider, client);
  }
  return client;
}
