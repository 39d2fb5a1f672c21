import { z } from 'zod';
import { ApiError } from './api-error';
import { getApiClient, type ApiClient } from './client';
import {
  meSchema,
  recoveryCodesSchema,
  sessionSchema,
  twoFactorSetupSchema,
  type Me,
} from './schemas';

/** The signed-in user's own account: profile, credentials, second factor and sessions. */

/** The signed-in user, or null when nobody is (a 401 after the refresh attempt). */
export async function getMe(client: ApiClient = getApiClient()): Promise<Me | null> {
  try {
    return await client.request('/me', { schema: meSchema });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function updateProfile(input: { name: string }, client = getApiClient()) {
  await client.request('/me', { method: 'PATCH', body: input });
}

export async function changePassword(
  input: { currentPassword: string; newPassword: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/me/password', { method: 'POST', body: input });
}

export async function changeEmail(input: { newEmail: string }, client: ApiClient = getApiClient()) {
  await client.request('/me/email', { method: 'POST', body: input });
}

export async function deleteAccount(
  input: { password?: string; code?: string },
  client: ApiClient = getApiClient(),
) {
  await client.request('/me', { method: 'DELETE', body: input });
}

export function startTwoFactorSetup(client: ApiClient = getApiClient()) {
  return client.request('/me/two-factor/setup', {
    method: 'POST',
    schema: twoFactorSetupSchema,
  });
}

export async function enableTwoFactor(input: { code: string }, client = getApiClient()) {
  const { recoveryCodes } = await client.request('/me/two-factor/enable', {
    method: 'POST',
    body: input,
    schema: recoveryCodesSchema,
  });
  return recoveryCodes;
}

export async function disableTwoFactor(input: { code: string }, client = getApiClient()) {
  await client.request('/me/two-factor/disable', { method: 'POST', body: input });
}

export async function regenerateRecoveryCodes(client: ApiClient = getApiClient()) {
  const { recoveryCodes } = await client.request('/me/two-factor/recovery-codes', {
    method: 'POST',
    schema: recoveryCodesSchema,
  });
  return recoveryCodes;
}

const sessionsSchema = z.object({ sessions: z.array(sessionSchema) });

export async function listSessions(client: ApiClient = getApiClient()) {
  const { sessions } = await client.request('/me/sessions', { schema: sessionsSchema });
  return sessions;
}

export async function endSession(sessionId: string, client: ApiClient = getApiClient()) {
  await client.request(`/me/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' });
}
