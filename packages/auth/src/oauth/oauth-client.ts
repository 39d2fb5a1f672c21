import { AppError } from '@switchyard/shared';

/** What a provider asserts about the person who signed in, after every check passed. */
export type OAuthIdentity = {
  /** Stable id at the provider: OIDC `sub`, GitHub's numeric user id. Never the e-mail. */
  subject: string;
  email: string | null;
  /** True only when the provider asserts that it verified `email` (SECURITY.md 7). */
  emailVerified: boolean;
  name: string | null;
};

export type CreateAuthorizationUrlParams = {
  redirectUri: string;
  state: string;
  nonce: string;
  /** PKCE S256 challenge of the verifier kept in the browser's state cookie. */
  codeChallenge: string;
};

export type ExchangeCodeParams = {
  /** The redirect URI with the provider's query string appended. */
  callbackUrl: URL;
  expectedState: string;
  expectedNonce: string;
  codeVerifier: string;
};

/** One provider protocol (OpenID Connect, GitHub's OAuth 2): build the redirect, finish the login. */
export type OAuthClient = {
  createAuthorizationUrl(params: CreateAuthorizationUrlParams): Promise<URL>;
  /**
   * Checks the authorization response against the expected state, redeems the code with the
   * PKCE verifier, verifies what the provider returned and reads the identity. Refusals are
   * AppErrors with `details.reason`.
   */
  exchangeCode(params: ExchangeCodeParams): Promise<OAuthIdentity>;
};

/** Outbound calls to a provider give up after this long. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export function providerUnavailable(cause: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', {
    message: 'The sign-in provider could not be reached. Please try again.',
    cause,
    details: { reason: 'provider_unavailable' },
  });
}

export function providerRefused(
  reason: 'access_denied' | 'provider_error',
  cause: unknown,
): AppError {
  return new AppError('BAD_REQUEST', {
    message:
      reason === 'access_denied'
        ? 'Sign-in was cancelled at the provider.'
        : 'The sign-in provider refused the request. Please start again.',
    cause,
    details: { reason },
  });
}

export function responseInvalid(cause: unknown): AppError {
  return new AppError('UNAUTHENTICATED', {
    message: "The sign-in provider's response could not be verified.",
    cause,
    details: { reason: 'response_invalid' },
  });
}

/** True for errors of the network itself (refused connection, DNS, timeout). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof DOMException) {
    return error.name === 'TimeoutError' || error.name === 'AbortError';
  }
  // undici's `fetch failed`: a TypeError whose cause is the socket error.
  return error instanceof TypeError && error.cause !== undefined;
}
