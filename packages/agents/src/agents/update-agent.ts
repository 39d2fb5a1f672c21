import {
  bumpAgentVersion,
  getAgent,
  insertAgentVersion,
  type AgentWithVersion,
  type Database,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { ToolRegistry } from '../tools/tool-registry';
import { updateAgentSchema, type UpdateAgentInput } from './agent-schemas';
import { assertKnownTools } from './assert-known-tools';
import { assertOutputSchema } from './assert-output-schema';
import { recordAudit, type AuditActor } from './audit-actor';
import { toNameConflict } from './create-agent';
import { parseInput } from './parse-input';

/**
 * Saves an edit as the agent's next version: the changed fields over the current version. Runs
 * and teams that pinned an earlier version keep it.
 */
export async function updateAgent(
  params: { orgId: string; agentId: string; actor: AuditActor; input: UpdateAgentInput },
  deps: { db: Database; tools?: Pick<ToolRegistry, 'get'> },
): Promise<AgentWithVersion> {
  const changes = parseInput(updateAgentSchema, params.input);
  if (changes.tools) assertKnownTools(changes.tools, deps.tools);
  assertOutputSchema(changes.outputSchema);
  try {
    return await deps.db.transaction(async (tx) => {
      const current = await getAgent(tx, params);
      if (!current) throw new AppError('NOT_FOUND', { message: 'Agent not found.' });
      // Takes the row lock: concurrent edits get consecutive versions.
      const agent = await bumpAgentVersion(tx, { ...params, name: changes.name });
      if (!agent) throw new AppError('NOT_FOUND', { message: 'Agent not found.' });
      const base = current.definition;
      const definition = await insertAgentVersion(tx, {
        orgId: params.orgId,
        agentId: agent.id,
        version: agent.currentVersion,
        createdBy: params.actor.userId,
        instructions: changes.instructions ?? base.instructions,
        provider: changes.provider ?? base.provider,
        model: changes.model ?? base.model,
        parameters: changes.parameters ?? base.parameters,
        tools: changes.tools ?? base.tools,
        maxSteps: changes.maxSteps ?? base.maxSteps,
        outputSchema: changes.outputSchema === undefined ? base.outputSchema : changes.outputSchema,
      });
      await recordAudit(tx, {
        orgId: params.orgId,
        actor: params.actor,
        action: 'agent.updated',
        targetType: 'agent',
        targetId: agent.id,
        metadata: { version: agent.currentVersion, fields: Object.keys(changes) },
      });
      return { ...agent, definition };
    });
  } catch (error) {
    throw changes.name ? toNameConflict(error, changes.name) : error;
  }
}
