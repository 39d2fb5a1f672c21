import { softDeleteAgent, type Agent, type Database } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from './audit-actor';
import { refuseIfScheduled } from '../schedules/refuse-if-scheduled';

/**
 * Soft-deletes an agent: it leaves lists and cannot be used by new runs or teams, while runs and
 * teams that pinned one of its versions keep working. Refused (409) while a schedule starts it.
 */
export async function deleteAgent(
  params: { orgId: string; agentId: string; actor: AuditActor },
  deps: { db: Database },
): Promise<Agent> {
  return deps.db.transaction(async (tx) => {
    const agent = await softDeleteAgent(tx, params);
    if (!agent) throw new AppError('NOT_FOUND', { message: 'Agent not found.' });
    // Refused while a schedule starts it (the transaction rolls the deletion back).
    await refuseIfScheduled(tx, { orgId: params.orgId, kind: 'agent', targetId: params.agentId });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'agent.deleted',
      targetType: 'agent',
      targetId: agent.id,
      metadata: { name: agent.name },
    });
    return agent;
  });
}
