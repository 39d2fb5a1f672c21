import * as openid from 'openid-client';
import { getNow, type AuthDeps } from '../config';
import { generateSecretToken } from '../crypto';
import { getOAuthCallbackUrl, getOAuthProviderOrThrow } from './config';
import { getOAuthClient } from './get-oauth-client';
import { OAUTH_STATE_TTL_SECONDS, sealOAuthState } from './oauth-state';
import { parseRedirectTo } from './parse-redirect-to';

export type StartOAuthLoginOptions = {
  providerId: string;
  /** Where to land after signing in: a path on this site; anything else is refused. */
  redirectTo?: string;
};

export type StartOAuthLoginResult = {
  /** Send the browser here (302). */
  authorizationUrl: string;
  /** Value of the `__Host-sy_oauth` cookie (HttpOnly, Secure, SameSite=Lax, Path=/). */
  stateCookie: string;
  stateCookieMaxAgeSeconds: number;
};

/**
 * Begins a sign-in at a provider (SECURITY.md 15): fresh `state`, `nonce` and PKCE verifier,
 * sealed with the redirect target in an encrypted cookie that binds the attempt to this
 * browser; the provider only ever sees the S256 challenge of the verifier.
 */
export async function startOAuthLogin(
  options: StartOAuthLoginOptions,
  deps: Pick<AuthDeps, 'config' | 'now'>,
): Promise<StartOAuthLoginResult> {
  const provider = getOAuthProviderOrThrow(deps.config, options.providerId);
  const redirectTo = parseRedirectTo(options.redirectTo);
  const state = generateSecretToken();
  const nonce = generateSecretToken();
  const codeVerifier = openid.randomPKCECodeVerifier();

  const authorizationUrl = await getOAuthClient(provider).createAuthorizationUrl({
    redirectUri: getOAuthCallbackUrl(deps.config, provider.id),
    state,
    nonce,
    codeChallenge: await openid.calculatePKCECodeChallenge(codeVerifier),
  });
  const expiresAt = Math.floor(getNow(deps).getTime() / 1000) + OAUTH_STATE_TTL_SECONDS;
  return {
    authorizationUrl: authorizationUrl.toString(),
    stateCookie: sealOAuthState(
      { providerId: provider.id, state, nonce, codeVerifier, redirectTo, expiresAt },
      deps.config.authSecret,
    ),
    stateCookieMaxAgeSeconds: OAUTH_STATE_TTL_SECONDS,
  };
}
