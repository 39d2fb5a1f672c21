import {
  getAgent as findAgent,
  getAgentVersion,
  type AgentVersion,
  type AgentWithVersion,
  type Database,
} from '@switchyard/database';

/**
 * A live agent of the org with its current definition, or with `version`'s definition when
 * given (which must exist). Null when not found, also for another org's agent.
 */
export async function getAgent(
  params: { orgId: string; agentId: string; version?: number },
  deps: { db: Database },
): Promise<AgentWithVersion | null> {
  const agent = await findAgent(deps.db, params);
  if (!agent || params.version === undefined || params.version === agent.currentVersion) {
    return agent;
  }
  const definition: AgentVersion | null = await getAgentVersion(deps.db, {
    orgId: params.orgId,
    agentId: params.agentId,
    version: params.version,
  });
  return definition ? { ...agent, definition } : null;
}
