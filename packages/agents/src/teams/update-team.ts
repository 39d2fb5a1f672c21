import { getTeam, updateTeam as saveTeam, type Database, type Team } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import { resolveTeamDefinition } from './resolve-team-definition';
import { updateTeamSchema, type TeamFields, type UpdateTeamInput } from './team-schemas';

/**
 * Changes a team. Members given again are re-pinned (to their current version unless a version is
 * named); members not given keep their pinned versions. Runs in flight keep the team as it was.
 */
export async function updateTeam(
  params: { orgId: string; teamId: string; actor: AuditActor; input: UpdateTeamInput },
  deps: { db: Database },
): Promise<Team> {
  const changes = parseInput(updateTeamSchema, params.input);
  return deps.db.transaction(async (tx) => {
    const current = await getTeam(tx, params);
    if (!current) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
    const planner =
      current.plannerAgentId && current.plannerAgentVersion
        ? { agentId: current.plannerAgentId, version: current.plannerAgentVersion }
        : null;
    const fields: TeamFields = {
      name: changes.name ?? current.name,
      strategy: changes.strategy ?? current.strategy,
      planner: changes.planner === undefined ? planner : changes.planner,
      members: changes.members ?? current.members,
      requirePlanApproval: changes.requirePlanApproval ?? current.requirePlanApproval,
    };
    const definition = await resolveTeamDefinition(tx, { orgId: params.orgId, fields });
    const team = await saveTeam(tx, { ...definition, orgId: params.orgId, teamId: params.teamId });
    if (!team) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'team.updated',
      targetType: 'team',
      targetId: team.id,
      metadata: { fields: Object.keys(changes) },
    });
    return team;
  });
}
