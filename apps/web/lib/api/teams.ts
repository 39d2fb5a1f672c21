import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import { teamSchema, type TeamStrategy } from './runtime-schemas';

/** An org's teams: agents under a strategy, members pinned at their version when saved. */

const teamsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/teams`;

export type TeamInput = {
  name: string;
  strategy: TeamStrategy;
  planner: { agentId: string } | null;
  members: { agentId: string }[];
  requirePlanApproval: boolean;
};

/** The org's teams, newest first (the first 100). */
export async function listTeams(orgId: string, client: ApiClient = getApiClient()) {
  const { teams } = await client.request(teamsPath(orgId), {
    query: { limit: 100 },
    schema: z.object({ teams: z.array(teamSchema), nextCursor: z.string().nullable() }),
  });
  return teams;
}

export function createTeam(orgId: string, input: TeamInput, client: ApiClient = getApiClient()) {
  return client.request(teamsPath(orgId), { method: 'POST', body: input, schema: teamSchema });
}
