import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import {
  apiKeySchema,
  auditPageSchema,
  createdApiKeySchema,
  invitationSchema,
  memberSchema,
  myOrgSchema,
  organizationSchema,
  roleSchema,
  type Role,
} from './schemas';

/** Organisations, members, invitations, API keys and the audit log. */

const orgPath = (orgId: string, rest = '') => `/orgs/${encodeURIComponent(orgId)}${rest}`;

/** The organisations the signed-in user belongs to, with their role in each. */
export async function listOrgs(client: ApiClient = getApiClient()) {
  const { orgs } = await client.request('/orgs', {
    schema: z.object({ orgs: z.array(myOrgSchema) }),
  });
  return orgs;
}

export function createOrg(input: { name: string }, client: ApiClient = getApiClient()) {
  return client.request('/orgs', { method: 'POST', body: input, schema: organizationSchema });
}

export function getOrg(orgId: string, client: ApiClient = getApiClient()) {
  return client.request(orgPath(orgId), { schema: organizationSchema });
}

export async function updateOrg(
  orgId: string,
  input: { name?: string; requireTwoFactor?: boolean },
  client: ApiClient = getApiClient(),
) {
  await client.request(orgPath(orgId), { method: 'PATCH', body: input });
}

export async function listMembers(orgId: string, client: ApiClient = getApiClient()) {
  const { members } = await client.request(orgPath(orgId, '/members'), {
    schema: z.object({ members: z.array(memberSchema) }),
  });
  return members;
}

export async function changeMemberRole(
  orgId: string,
  userId: string,
  role: Role,
  client: ApiClient = getApiClient(),
) {
  await client.request(orgPath(orgId, `/members/${encodeURIComponent(userId)}`), {
    method: 'PATCH',
    body: { role },
  });
}

/** Leaves the org (any member; the last owner must transfer ownership first). */
export async function leaveOrg(orgId: string, client: ApiClient = getApiClient()) {
  await client.request(orgPath(orgId, '/leave'), { method: 'POST' });
}

export async function removeMember(orgId: string, userId: string, client = getApiClient()) {
  await client.request(orgPath(orgId, `/members/${encodeURIComponent(userId)}`), {
    method: 'DELETE',
  });
}

export async function transferOwnership(orgId: string, userId: string, client = getApiClient()) {
  await client.request(orgPath(orgId, '/transfer-ownership'), {
    method: 'POST',
    body: { newOwnerUserId: userId },
  });
}

export async function listInvitations(orgId: string, client: ApiClient = getApiClient()) {
  const { invitations } = await client.request(orgPath(orgId, '/invitations'), {
    schema: z.object({ invitations: z.array(invitationSchema) }),
  });
  return invitations;
}

export async function inviteMember(
  orgId: string,
  input: { email: string; role: Role },
  client: ApiClient = getApiClient(),
) {
  await client.request(orgPath(orgId, '/invitations'), { method: 'POST', body: input });
}

export async function revokeInvitation(
  orgId: string,
  invitationId: string,
  client = getApiClient(),
) {
  await client.request(orgPath(orgId, `/invitations/${encodeURIComponent(invitationId)}`), {
    method: 'DELETE',
  });
}

export async function acceptInvitation(token: string, client: ApiClient = getApiClient()) {
  return client.request('/invitations/accept', {
    method: 'POST',
    body: { token },
    schema: z.object({ orgId: z.string(), orgName: z.string(), role: roleSchema }),
  });
}

export async function listApiKeys(orgId: string, client: ApiClient = getApiClient()) {
  const { apiKeys } = await client.request(orgPath(orgId, '/api-keys'), {
    schema: z.object({ apiKeys: z.array(apiKeySchema) }),
  });
  return apiKeys;
}

/** Creates a key; the returned `key` is the only time its secret is shown. */
export function createApiKey(
  orgId: string,
  input: { name: string; scopes: string[]; expiresAt?: string },
  client: ApiClient = getApiClient(),
) {
  return client.request(orgPath(orgId, '/api-keys'), {
    method: 'POST',
    body: input,
    schema: createdApiKeySchema,
  });
}

export async function revokeApiKey(orgId: string, keyId: string, client = getApiClient()) {
  await client.request(orgPath(orgId, `/api-keys/${encodeURIComponent(keyId)}`), {
    method: 'DELETE',
  });
}

export function listAuditEvents(
  orgId: string,
  page: { cursor?: string; limit?: number },
  client: ApiClient = getApiClient(),
) {
  return client.request(orgPath(orgId, '/audit-log'), {
    query: { cursor: page.cursor, limit: page.limit },
    schema: auditPageSchema,
  });
}
