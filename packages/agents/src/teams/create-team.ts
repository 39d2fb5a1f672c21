import { insertTeam, type Database, type Team } from '@switchyard/database';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import { resolveTeamDefinition } from './resolve-team-definition';
import { createTeamSchema, type CreateTeamInput } from './team-schemas';

/** Creates a team, pinning each member's (and the planner's) version. */
export async function createTeam(
  params: { orgId: string; actor: AuditActor; input: CreateTeamInput },
  deps: { db: Database },
): Promise<Team> {
  const fields = parseInput(createTeamSchema, params.input);
  return deps.db.transaction(async (tx) => {
    const definition = await resolveTeamDefinition(tx, { orgId: params.orgId, fields });
    const team = await insertTeam(tx, {
      ...definition,
      orgId: params.orgId,
      createdBy: params.actor.userId,
    });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'team.created',
      targetType: 'team',
      targetId: team.id,
      metadata: { name: team.name, strategy: team.strategy },
    });
    return team;
  });
}
