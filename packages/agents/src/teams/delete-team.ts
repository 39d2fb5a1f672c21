import { softDeleteTeam, type Database, type Team } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';

/** Soft-deletes a team; runs already started keep their snapshot of it. */
export async function deleteTeam(
  params: { orgId: string; teamId: string; actor: AuditActor },
  deps: { db: Database },
): Promise<Team> {
  return deps.db.transaction(async (tx) => {
    const team = await softDeleteTeam(tx, params);
    if (!team) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'team.deleted',
      targetType: 'team',
      targetId: team.id,
      metadata: { name: team.name },
    });
    return team;
  });
}
