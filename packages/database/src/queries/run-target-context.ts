import { isUuid } from '@switchyard/shared';
import type { Database } from '../client';
import { sessionClient } from '../reusable-statement';
import { agents, teams, type Agent, type PlanTier, type Team } from '../schema';
import { fromJsonRow } from './json-row';

/** What starting a run reads about its org and its target, in one statement. */
export type RunTargetContext = {
  /** Null when there is no such org. */
  planTier: PlanTier | null;
  /** The live team (a team run), else null. */
  team: Team | null;
  /** The live agent (an agent run), else null. */
  agent: Agent | null;
  /**
   * The agent versions the run would pin, with their agent's current name: the team's members
   * and planner, or the agent's requested (else current) version. A missing one is left out.
   */
  versions: { agentId: string; version: number; name: string }[];
};

export async function getRunTargetContext(
  db: Database,
  params: {
    orgId: string;
    target: { kind: 'team'; teamId: string } | { kind: 'agent'; agentId: string; version?: number };
  },
): Promise<RunTargetContext> {
  const { target } = params;
  const targetId = target.kind === 'team' ? target.teamId : target.agentId;
  if (!isUuid(params.orgId) || !isUuid(targetId)) {
    return { planTier: null, team: null, agent: null, versions: [] };
  }
  const { rows } = await sessionClient(db).query({
    name: 'run_target_context',
    text: RUN_TARGET_CONTEXT,
    values: [
      params.orgId,
      target.kind === 'team' ? targetId : null,
      target.kind === 'agent' ? targetId : null,
      target.kind === 'agent' ? (target.version ?? null) : null,
    ],
  });
  const [row] = rows as {
    plan_tier: PlanTier | null;
    team: Record<string, unknown> | null;
    agent: Record<string, unknown> | null;
    versions: { agentId: string; version: number; name: string }[];
  }[];
  return {
    planTier: row?.plan_tier ?? null,
    team: row?.team ? fromJsonRow<Team>(teams, row.team) : null,
    agent: row?.agent ? fromJsonRow<Agent>(agents, row.agent) : null,
    versions: row?.versions ?? [],
  };
}

// $1 org, $2 team (a team run) or null, $3 agent (an agent run) or null, $4 the agent's requested
// version or null (its current one). Every lookup by primary key, the org checked as a filter.
const RUN_TARGET_CONTEXT = `
  with team as (
    select * from teams
    where id = $2::uuid and (org_id = $1::uuid) is true and deleted_at is null
  ), agent as (
    select * from agents
    where id = $3::uuid and (org_id = $1::uuid) is true and deleted_at is null
  ), wanted as (
    select (member->>'agentId')::uuid as agent_id, (member->>'version')::integer as version
    from team, jsonb_array_elements(team.members) as member
    union all
    select planner_agent_id, planner_agent_version from team where planner_agent_id is not null
    union all
    select id, coalesce($4::integer, current_version) from agent
  )
  select
    (select plan_tier from organizations where id = $1::uuid) as plan_tier,
    (select row_to_json(team) from team) as team,
    (select row_to_json(agent) from agent) as agent,
    (select coalesce(json_agg(json_build_object(
        'agentId', v.agent_id, 'version', v.version, 'name', a.name)), '[]'::json)
     from wanted
       join agent_versions v on v.agent_id = wanted.agent_id and v.version = wanted.version
         and (v.org_id = $1::uuid) is true
       join agents a on a.id = v.agent_id) as versions`;
