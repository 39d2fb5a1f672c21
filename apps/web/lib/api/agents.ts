import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import { agentSchema, agentVersionSchema, type Provider } from './runtime-schemas';

/** An org's agents: every edit saves a new version; runs pin the version they started with. */

const agentsPath = (orgId: string, rest = '') => `/orgs/${encodeURIComponent(orgId)}/agents${rest}`;

export type AgentInput = {
  name: string;
  instructions: string;
  provider: Provider;
  model: string;
  tools: string[];
  maxSteps: number;
};

const agentPageSchema = z.object({
  agents: z.array(agentSchema),
  nextCursor: z.string().nullable(),
});

/** The org's agents, newest first (the first 100: enough for pickers and the list page). */
export async function listAgents(orgId: string, client: ApiClient = getApiClient()) {
  const { agents } = await client.request(agentsPath(orgId), {
    query: { limit: 100 },
    schema: agentPageSchema,
  });
  return agents;
}

export function getAgent(orgId: string, agentId: string, client: ApiClient = getApiClient()) {
  return client.request(agentsPath(orgId, `/${encodeURIComponent(agentId)}`), {
    schema: agentSchema,
  });
}

export async function listAgentVersions(
  orgId: string,
  agentId: string,
  client: ApiClient = getApiClient(),
) {
  const { versions } = await client.request(
    agentsPath(orgId, `/${encodeURIComponent(agentId)}/versions`),
    { schema: z.object({ versions: z.array(agentVersionSchema) }) },
  );
  return versions;
}

export function createAgent(orgId: string, input: AgentInput, client = getApiClient()) {
  return client.request(agentsPath(orgId), { method: 'POST', body: input, schema: agentSchema });
}

/** Saves the changed fields as the agent's next version. */
export function updateAgent(
  orgId: string,
  agentId: string,
  input: Partial<AgentInput>,
  client: ApiClient = getApiClient(),
) {
  return client.request(agentsPath(orgId, `/${encodeURIComponent(agentId)}`), {
    method: 'PATCH',
    body: input,
    schema: agentSchema,
  });
}

/** Deletes the agent: it leaves lists and new runs; runs and teams that pinned it keep working. */
export async function deleteAgent(
  orgId: string,
  agentId: string,
  client: ApiClient = getApiClient(),
) {
  await client.request(agentsPath(orgId, `/${encodeURIComponent(agentId)}`), { method: 'DELETE' });
}
