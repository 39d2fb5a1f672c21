import * as openid from 'openid-client';
import type { OAuthProviderConfig } from '../config';
import { isAllowedProviderUrl } from './config';
import {
  isNetworkError,
  providerRefused,
  providerUnavailable,
  PROVIDER_TIMEOUT_MS,
  responseInvalid,
  type OAuthClient,
  type OAuthIdentity,
} from './oauth-client';

/** Error codes of openid-client that mean the provider could not be reached or answered badly. */
const UNAVAILABLE_CODES = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/**
 * OpenID Connect through openid-client: discovery (issuer checked), authorization code flow
 * with PKCE S256, `state` and `nonce`; the ID token's signature (provider JWKS), `iss`, `aud`,
 * `exp`, `iat` and `nonce` are verified by the library before any claim is read.
 */
export function createOidcClient(provider: OAuthProviderConfig): OAuthClient {
  const { issuer } = provider;
  if (!issuer || !isAllowedProviderUrl(issuer)) {
    throw new Error(`OAuth provider ${provider.id}: issuer must be an https:// URL`);
  }
  let configuration: Promise<openid.Configuration> | undefined;
  // Discovered once per process; a failed discovery is retried by the next login.
  const getConfiguration = () => {
    configuration ??= discover(provider, issuer).catch((error: unknown) => {
      configuration = undefined;
      throw error;
    });
    return configuration;
  };

  return {
    async createAuthorizationUrl(params) {
      const config = await getConfiguration().catch((error: unknown) => {
        throw providerUnavailable(error);
      });
      return openid.buildAuthorizationUrl(config, {
        redirect_uri: params.redirectUri,
        response_type: 'code',
        scope: provider.scopes.join(' '),
        state: params.state,
        nonce: params.nonce,
        code_challenge: params.codeChallenge,
        code_challenge_method: 'S256',
      });
    },

    async exchangeCode(params) {
      try {
        const config = await getConfiguration();
        const tokens = await openid.authorizationCodeGrant(config, params.callbackUrl, {
          pkceCodeVerifier: params.codeVerifier,
          expectedState: params.expectedState,
          expectedNonce: params.expectedNonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new openid.ClientError('the token response has no ID token');
        // Providers may keep `email` out of the ID token (it is then only in UserInfo).
        const profile =
          typeof claims.email === 'string'
            ? claims
            : await openid.fetchUserInfo(config, tokens.access_token, claims.sub);
        return toIdentity(claims.sub, profile);
      } catch (error) {
        throw mapOidcError(error);
      }
    },
  };
}

async function discover(
  provider: OAuthProviderConfig,
  issuer: string,
): Promise<openid.Configuration> {
  const url = new URL(issuer);
  const insecure = url.protocol === 'http:';
  const discovered = await openid.discovery(url, provider.clientId, undefined, undefined, {
    timeout: PROVIDER_TIMEOUT_MS / 1000,
    // Loopback HTTP only (checked by isAllowedProviderUrl): a local provider in development.
    execute: insecure ? [openid.allowInsecureRequests] : [],
  });
  const metadata = discovered.serverMetadata();
  // OIDC Discovery: client_secret_basic is the default when the provider lists no methods.
  const methods = metadata.token_endpoint_auth_methods_supported;
  const clientAuth =
    methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? openid.ClientSecretPost(provider.clientSecret)
      : openid.ClientSecretBasic(provider.clientSecret);
  const config = new openid.Configuration(metadata, provider.clientId, undefined, clientAuth);
  config.timeout = PROVIDER_TIMEOUT_MS / 1000;
  // openid-client trusts TLS for ID tokens from the token endpoint and skips their signature
  // by default; SECURITY.md 7 asks for the signature to be verified too (provider JWKS).
  openid.enableNonRepudiationChecks(config);
  if (insecure) openid.allowInsecureRequests(config);
  return config;
}

function toIdentity(subject: string, profile: Record<string, unknown>): OAuthIdentity {
  const email = typeof profile.email === 'string' && profile.email !== '' ? profile.email : null;
  // Some providers send the boolean as a string; anything else counts as unverified.
  const verified = profile.email_verified === true || profile.email_verified === 'true';
  const name =
    typeof profile.name === 'string' && profile.name.trim() !== '' ? profile.name.trim() : null;
  return { subject, email, emailVerified: email !== null && verified, name };
}

function mapOidcError(error: unknown): unknown {
  if (error instanceof openid.AuthorizationResponseError) {
    return providerRefused(
      error.error === 'access_denied' ? 'access_denied' : 'provider_error',
      error,
    );
  }
  if (error instanceof openid.ResponseBodyError) {
    return error.status >= 500
      ? providerUnavailable(error)
      : providerRefused('provider_error', error);
  }
  if (isNetworkError(error)) return providerUnavailable(error);
  if (error instanceof openid.ClientError) {
    return error.code && UNAVAILABLE_CODES.has(error.code)
      ? providerUnavailable(error)
      : responseInvalid(error);
  }
  return error;
}
