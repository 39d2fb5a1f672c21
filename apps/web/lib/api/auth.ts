import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import { loginResultSchema, oauthProviderSchema, type LoginResult } from './schemas';

/**
 * Sign-up, login and the e-mailed-link flows. Every login-type request asks for `mode: 'cookie'`:
 * the api then sets HttpOnly session cookies instead of returning tokens to scripts.
 */

export type SignUpInput = { name: string; email: string; password: string };
export type LoginInput = { email: string; password: string };
/** A TOTP code or a recovery code: exactly one is sent. */
export type SecondFactor = { code: string } | { recoveryCode: string };

const noCredentialRefresh = { refreshOnUnauthorized: false } as const;

export function signUp(input: SignUpInput, client: ApiClient = getApiClient()): Promise<unknown> {
  return client.request('/auth/signup', { method: 'POST', body: input, ...noCredentialRefresh });
}

export function logIn(input: LoginInput, client: ApiClient = getApiClient()): Promise<LoginResult> {
  return client.request('/auth/login', {
    method: 'POST',
    body: { ...input, mode: 'cookie' },
    schema: loginResultSchema,
    ...noCredentialRefresh,
  });
}

export async function completeTwoFactorLogin(
  input: { challengeToken: string } & SecondFactor,
  client: ApiClient = getApiClient(),
): Promise<void> {
  await client.request('/auth/login/two-factor', {
    method: 'POST',
    body: { ...input, mode: 'cookie' },
    ...noCredentialRefresh,
  });
}

/** Follows an e-mailed link: a sign-up confirmation or a change to a new address. */
export async function verifyEmail(token: string, client: ApiClient = getApiClient()) {
  const { purpose } = await client.request('/auth/verify-email', {
    method: 'POST',
    body: { token },
    schema: z.object({ purpose: z.enum(['verify_email', 'change_email']) }),
    ...noCredentialRefresh,
  });
  return purpose;
}

export async function resendVerification(
  input: { email: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/auth/resend-verification', {
    method: 'POST',
    body: input,
    ...noCredentialRefresh,
  });
}

export async function requestPasswordReset(
  input: { email: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/auth/forgot-password', {
    method: 'POST',
    body: input,
    ...noCredentialRefresh,
  });
}

export async function resetPassword(
  input: { token: string; password: string; code?: string; recoveryCode?: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/auth/reset-password', {
    method: 'POST',
    body: input,
    ...noCredentialRefresh,
  });
}

/** Proves the password (and second factor) again; the api replaces the session with a fresh one. */
export async function reauthenticate(
  input: { password: string; code?: string; recoveryCode?: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/auth/reauthenticate', {
    method: 'POST',
    body: { ...input, mode: 'cookie' },
    ...noCredentialRefresh,
  });
}

export async function logOut(client: ApiClient = getApiClient()) {
  await client.request('/auth/logout', { method: 'POST', ...noCredentialRefresh });
}

export async function logOutEverywhere(client: ApiClient = getApiClient()) {
  await client.request('/auth/logout-all', { method: 'POST' });
}

const providersSchema = z.object({ providers: z.array(oauthProviderSchema) });

export async function listOAuthProviders(client: ApiClient = getApiClient()) {
  const { providers } = await client.request('/auth/oauth/providers', {
    schema: providersSchema,
    ...noCredentialRefresh,
  });
  return providers;
}

/** Where the browser goes to sign in with a provider (a full-page navigation, not a fetch). */
export function buildOAuthStartUrl(providerId: string, redirectTo: string): string {
  const search = new URLSearchParams({ redirectTo });
  return `/api/v1/auth/oauth/${encodeURIComponent(providerId)}/start?${search.toString()}`;
}
