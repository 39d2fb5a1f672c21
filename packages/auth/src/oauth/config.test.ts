import { describe, expect, it } from 'vitest';
import { buildOAuthProviderConfigs, getOAuthCallbackUrl, isAllowedProviderUrl } from './config';
import { listOAuthProviders } from './list-oauth-providers';

describe('buildOAuthProviderConfigs', () => {
  it('turns on only the providers that have credentials', () => {
    expect(buildOAuthProviderConfigs({})).toEqual([]);
    expect(
      buildOAuthProviderConfigs({ github: { clientId: 'id', clientSecret: 'secret' } }),
    ).toEqual([
      {
        id: 'github',
        kind: 'github',
        displayName: 'GitHub',
        clientId: 'id',
        clientSecret: 'secret',
        authorizationUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        apiBaseUrl: 'https://api.github.com',
        scopes: ['read:user', 'user:email'],
      },
    ]);
  });

  it('configures Google and any OpenID provider for discovery with the openid e-mail scopes', () => {
    const providers = buildOAuthProviderConfigs({
      google: { clientId: 'g', clientSecret: 'gs' },
      oidc: {
        issuer: 'https://idp.example.com',
        clientId: 'o',
        clientSecret: 'os',
        displayName: 'Okta',
      },
    });

    expect(
      providers.map(({ id, kind, issuer, displayName, scopes }) => ({
        id,
        kind,
        issuer,
        displayName,
        scopes,
      })),
    ).toEqual([
      {
        id: 'google',
        kind: 'oidc',
        issuer: 'https://accounts.google.com',
        displayName: 'Google',
        scopes: ['openid', 'email', 'profile'],
      },
      {
        id: 'oidc',
        kind: 'oidc',
        issuer: 'https://idp.example.com',
        displayName: 'Okta',
        scopes: ['openid', 'email', 'profile'],
      },
    ]);
  });
});

describe('listOAuthProviders', () => {
  it('lists ids and names for the login page, never the client secrets', () => {
    const providers = buildOAuthProviderConfigs({
      google: { clientId: 'g', clientSecret: 'top-secret' },
    });

    const listed = listOAuthProviders({ oauth: { providers } });

    expect(listed).toEqual([{ id: 'google', kind: 'oidc', displayName: 'Google' }]);
    expect(JSON.stringify(listed)).not.toContain('top-secret');
  });
});

describe('getOAuthCallbackUrl', () => {
  it('is the API behind the public URL, whatever its trailing slash', () => {
    expect(getOAuthCallbackUrl({ publicUrl: 'https://app.example.com/' }, 'github')).toBe(
      'https://app.example.com/api/v1/auth/oauth/github/callback',
    );
  });
});

describe('isAllowedProviderUrl', () => {
  it.each([
    ['https://accounts.google.com', true],
    ['http://127.0.0.1:8080', true],
    ['http://localhost:9000/realms/dev', true],
    ['http://idp.example.com', false],
    ['ftp://idp.example.com', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedProviderUrl(url)).toBe(allowed);
  });
});
