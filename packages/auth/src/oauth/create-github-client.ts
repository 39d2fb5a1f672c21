import { z } from 'zod';
import type { OAuthProviderConfig } from '../config';
import { safeEqual } from '../crypto';
import { isAllowedProviderUrl, trimTrailingSlash } from './config';
import {
  isNetworkError,
  providerRefused,
  providerUnavailable,
  PROVIDER_TIMEOUT_MS,
  responseInvalid,
  type OAuthClient,
} from './oauth-client';
import { stateError } from './oauth-state';

const tokenResponseSchema = z.union([
  z.object({ access_token: z.string().min(1), token_type: z.string().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

const githubUserSchema = z.object({
  id: z.number().int().positive(),
  login: z.string(),
  name: z.string().nullable().optional(),
});

const githubEmailsSchema = z.array(
  z.object({ email: z.string().min(1), primary: z.boolean(), verified: z.boolean() }),
);

/**
 * GitHub has no OpenID Connect: plain OAuth 2 authorization code with PKCE S256 and `state`,
 * then the identity from `/user` (numeric id as the subject) and the primary address of
 * `/user/emails` with GitHub's own `verified` flag.
 */
export function createGithubClient(provider: OAuthProviderConfig): OAuthClient {
  const { authorizationUrl, tokenUrl, apiBaseUrl } = provider;
  for (const url of [authorizationUrl, tokenUrl, apiBaseUrl]) {
    if (!url || !isAllowedProviderUrl(url)) {
      throw new Error(`OAuth provider ${provider.id}: GitHub endpoints must be https:// URLs`);
    }
  }
  const apiBase = trimTrailingSlash(apiBaseUrl ?? '');

  return {
    async createAuthorizationUrl(params) {
      const url = new URL(authorizationUrl ?? '');
      url.searchParams.set('client_id', provider.clientId);
      url.searchParams.set('redirect_uri', params.redirectUri);
      url.searchParams.set('scope', provider.scopes.join(' '));
      url.searchParams.set('state', params.state);
      url.searchParams.set('code_challenge', params.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      return url;
    },

    async exchangeCode(params) {
      const query = params.callbackUrl.searchParams;
      const error = query.get('error');
      if (error !== null) {
        throw providerRefused(
          error === 'access_denied' ? 'access_denied' : 'provider_error',
          error,
        );
      }
      if (!safeEqual(query.get('state') ?? '', params.expectedState)) {
        throw stateError('state_mismatch', 'This sign-in attempt could not be verified.');
      }
      const code = query.get('code');
      if (!code) throw providerRefused('provider_error', 'the callback has no code');

      const redirectUri = new URL(params.callbackUrl);
      redirectUri.search = '';
      redirectUri.hash = '';
      const tokenResponse = tokenResponseSchema.safeParse(
        await callGithub(tokenUrl ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: provider.clientId,
            client_secret: provider.clientSecret,
            code,
            redirect_uri: redirectUri.toString(),
            code_verifier: params.codeVerifier,
          }),
        }),
      );
      if (!tokenResponse.success) throw responseInvalid(tokenResponse.error);
      const token = tokenResponse.data;
      // GitHub answers token errors (bad code, bad verifier) with 200 and an `error` field.
      if ('error' in token) throw providerRefused('provider_error', token.error);

      const auth = { authorization: `Bearer ${token.access_token}` };
      const [user, emails] = await Promise.all([
        callGithub(`${apiBase}/user`, { headers: auth }).then((body) =>
          githubUserSchema.parse(body),
        ),
        callGithub(`${apiBase}/user/emails`, { headers: auth }).then((body) =>
          githubEmailsSchema.parse(body),
        ),
      ]).catch((cause: unknown) => {
        throw cause instanceof z.ZodError ? responseInvalid(cause) : cause;
      });
      const primary = emails.find((entry) => entry.primary);
      return {
        subject: String(user.id),
        email: primary?.email ?? null,
        emailVerified: primary?.verified === true,
        name: user.name?.trim() || user.login,
      };
    },
  };
}

async function callGithub(url: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        accept: 'application/json',
        'user-agent': 'switchyard',
        'x-github-api-version': '2022-11-28',
        ...init.headers,
      },
      redirect: 'error',
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch (error) {
    throw isNetworkError(error) ? providerUnavailable(error) : error;
  }
  if (response.status >= 500) throw providerUnavailable(`GitHub answered ${response.status}`);
  if (!response.ok) throw providerRefused('provider_error', `GitHub answered ${response.status}`);
  try {
    return await response.json();
  } catch (error) {
    throw responseInvalid(error);
  }
}
