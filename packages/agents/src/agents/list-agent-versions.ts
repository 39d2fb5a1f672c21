import {
  getAgent,
  listAgentVersions as queryAgentVersions,
  type AgentVersion,
  type Database,
} from '@switchyard/database';

/** Every version of a live agent of the org, newest first; null when there is no such agent. */
export async function listAgentVersions(
  params: { orgId: string; agentId: string; limit?: number },
  deps: { db: Database },
): Promise<AgentVersion[] | null> {
  const agent = await getAgent(deps.db, params);
  if (!agent) return null;
  return queryAgentVersions(deps.db, { ...params, limit: Math.min(params.limit ?? 100, 100) });
}
