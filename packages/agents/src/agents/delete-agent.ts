import { softDeleteAgent, type Agent, type Database } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from './audit-actor';

/**
 * Soft-deletes an agent: it leaves lists and cannot be used by new runs or teams, while runs and
 * teams that pinned one of its versions keep working.
 */
export async function deleteAgent(
  params: { orgId: string; agentId: string; actor: AuditActor },
  deps: { db: Database },
): Promise<Agent> {
  return deps.db.transaction(async (tx) => {
    const agent = await softDeleteAgent(tx, params);
    if (!agent) throw new AppError('NOT_FOUND', { message: 'Agent not found.' });
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
