import { softDeleteTeam, type Database, type Team } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { refuseIfScheduled } from '../schedules/refuse-if-scheduled';

/**
 * Soft-deletes a team; runs already started keep their snapshot of it. Refused (409) while a
 * schedule starts it.
 */
export async function deleteTeam(
  params: { orgId: string; teamId: string; actor: AuditActor },
  deps: { db: Database },
): Promise<Team> {
  return deps.db.transaction(async (tx) => {
    const team = await softDeleteTeam(tx, params);
    if (!team) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
    // Refused while a schedule starts it (the transaction rolls the deletion back).
    await refuseIfScheduled(tx, { orgId: params.orgId, kind: 'team', targetId: params.teamId });
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
