'use client';

import { useQuery } from '@tanstack/react-query';
import { runtimeQueryKeys } from '@/hooks/runtime-query-keys';
import { listAgents } from '@/lib/api/agents';
import type { Run } from '@/lib/api/runtime-schemas';
import { listTeams } from '@/lib/api/teams';

/** Names of the agents and teams runs point at ("Agent Researcher v2", "Team Desk"). */
export function useTargetNames(orgId: string) {
  const agents = useQuery({
    queryKey: runtimeQueryKeys.agents(orgId),
    queryFn: () => listAgents(orgId),
  });
  const teams = useQuery({
    queryKey: runtimeQueryKeys.teams(orgId),
    queryFn: () => listTeams(orgId),
  });
  return (target: Run['target']): string => {
    if (target.kind === 'agent') {
      const name = agents.data?.find((agent) => agent.id === target.agentId)?.name;
      return `${name ?? 'Agent'} v${target.version}`;
    }
    const name = teams.data?.find((team) => team.id === target.teamId)?.name;
    return `${name ?? 'Team'} (team)`;
  };
}
