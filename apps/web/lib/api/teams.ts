import { z } from 'zod';
import { getApiClient, type ApiClient } from './client';
import { teamSchema, type TeamStrategy } from './runtime-schemas';

/** An org's teams: agents under a strategy, members pinned at their version when saved. */

const teamsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/teams`;
const teamPath = (orgId: string, teamId: string) =>
  `${teamsPath(orgId)}/${encodeURIComponent(teamId)}`;

/** An agent of a team; without `version` the api pins its current one. */
export type TeamMemberInput = { agentId: string; version?: number };

export type TeamInput = {
  name: string;
  strategy: TeamStrategy;
  planner: TeamMemberInput | null;
  members: TeamMemberInput[];
  requirePlanApproval: boolean;
};

/** The fields to change; members given are re-pinned (to `version`, else the current one). */
export type TeamUpdateInput = Partial<TeamInput>;

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

/** Runs already started keep the team as it was. */
export function updateTeam(
  orgId: string,
  teamId: string,
  input: TeamUpdateInput,
  client: ApiClient = getApiClient(),
) {
  return client.request(teamPath(orgId, teamId), {
    method: 'PATCH',
    body: input,
    schema: teamSchema,
  });
}

/** Deletes the team; runs already started keep their snapshot of it. */
export async function deleteTeam(orgId: string, teamId: string, client = getApiClient()) {
  await client.request(teamPath(orgId, teamId), { method: 'DELETE' });
}
