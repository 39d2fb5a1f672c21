import {
  insertAgent,
  insertAgentVersion,
  isUniqueViolation,
  type AgentWithVersion,
  type Database,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { ToolRegistry } from '../tools/tool-registry';
import { createAgentSchema, type CreateAgentInput } from './agent-schemas';
import { assertKnownTools } from './assert-known-tools';
import { assertOutputSchema } from './assert-output-schema';
import { recordAudit, type AuditActor } from './audit-actor';
import { parseInput } from './parse-input';

/** Creates an agent at version 1. A live agent of the org with the same name is a 409. */
export async function createAgent(
  params: { orgId: string; actor: AuditActor; input: CreateAgentInput },
  deps: { db: Database; tools?: Pick<ToolRegistry, 'get'> },
): Promise<AgentWithVersion> {
  const input = parseInput(createAgentSchema, params.input);
  assertKnownTools(input.tools, deps.tools);
  assertOutputSchema(input.outputSchema);
  try {
    return await deps.db.transaction(async (tx) => {
      const agent = await insertAgent(tx, {
        orgId: params.orgId,
        name: input.name,
        createdBy: params.actor.userId,
      });
      const definition = await insertAgentVersion(tx, {
        orgId: params.orgId,
        agentId: agent.id,
        version: 1,
        createdBy: params.actor.userId,
        instructions: input.instructions,
        provider: input.provider,
        model: input.model,
        parameters: input.parameters,
        tools: input.tools,
        maxSteps: input.maxSteps,
        outputSchema: input.outputSchema,
      });
      await recordAudit(tx, {
        orgId: params.orgId,
        actor: params.actor,
        action: 'agent.created',
        targetType: 'agent',
        targetId: agent.id,
        metadata: { name: agent.name, version: 1 },
      });
      return { ...agent, definition };
    });
  } catch (error) {
    throw toNameConflict(error, input.name);
  }
}

/** A duplicate live name becomes a 409; anything else is rethrown as is. */
export function toNameConflict(error: unknown, name: string): unknown {
  if (!isUniqueViolation(error, 'agents_org_id_name_lower_unique')) return error;
  return new AppError('CONFLICT', {
    message: `An agent named "${name}" already exists.`,
    details: { errors: [{ path: 'name', message: 'already used by another agent' }] },
  });
}
