import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { reusableStatementVariants } from '../reusable-statement';
import {
  agents,
  agentVersions,
  type Agent,
  type AgentParameters,
  type AgentVersion,
} from '../schema';
import { clampPageSize, olderThan, type PageCursor } from './pagination';

export type { Agent, AgentVersion } from '../schema';

/** An agent with the definition of its current version. */
export type AgentWithVersion = Agent & { definition: AgentVersion };

export type AgentDefinitionParams = {
  instructions: string;
  provider: string;
  model: string;
  parameters: AgentParameters;
  tools: string[];
  maxSteps: number;
  outputSchema: Record<string, unknown> | null;
};

/** A second live agent with the same name (any case) fails on `agents_org_id_name_lower_unique`. */
export async function insertAgent(
  db: DatabaseExecutor,
  params: { orgId: string; name: string; createdBy: string | null },
): Promise<Agent> {
  const [agent] = await db
    .insert(agents)
    .values({
      orgId: params.orgId,
      name: params.name,
      createdBy: params.createdBy,
      currentVersion: 1,
    })
    .returning();
  if (!agent) throw new Error('insert into agents returned no row');
  return agent;
}

export async function insertAgentVersion(
  db: DatabaseExecutor,
  params: AgentDefinitionParams & {
    orgId: string;
    agentId: string;
    version: number;
    createdBy: string | null;
  },
): Promise<AgentVersion> {
  const [version] = await db
    .insert(agentVersions)
    .values({
      agentId: params.agentId,
      version: params.version,
      orgId: params.orgId,
      instructions: params.instructions,
      provider: params.provider,
      model: params.model,
      parameters: params.parameters,
      tools: params.tools,
      maxSteps: params.maxSteps,
      outputSchema: params.outputSchema,
      createdBy: params.createdBy,
    })
    .returning();
  if (!version) throw new Error('insert into agent_versions returned no row');
  return version;
}

/**
 * Locks a live agent's row and moves it to its next version (and new name, when given); resolves
 * null when the agent does not exist in the org or was deleted. Insert the version in the same
 * transaction.
 */
export async function bumpAgentVersion(
  db: DatabaseExecutor,
  params: { orgId: string; agentId: string; name?: string },
): Promise<Agent | null> {
  if (!isUuid(params.orgId) || !isUuid(params.agentId)) return null;
  const [agent] = await db
    .update(agents)
    .set({
      currentVersion: sql`${agents.currentVersion} + 1`,
      ...(params.name === undefined ? {} : { name: params.name }),
    })
    .where(liveAgent(params.orgId, params.agentId))
    .returning();
  return agent ?? null;
}

/** A live (not deleted) agent of the org, with its current definition. */
export async function getAgent(
  db: DatabaseExecutor,
  params: { orgId: string; agentId: string },
): Promise<AgentWithVersion | null> {
  if (!isUuid(params.orgId) || !isUuid(params.agentId)) return null;
  const [row] = await db
    .select({ agent: agents, definition: agentVersions })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.currentVersion)),
    )
    .where(liveAgent(params.orgId, params.agentId))
    .limit(1);
  return row ? { ...row.agent, definition: row.definition } : null;
}

/** One version of an agent of the org, also of a deleted agent (runs pinned it). */
export async function getAgentVersion(
  db: DatabaseExecutor,
  params: { orgId: string; agentId: string; version: number },
): Promise<AgentVersion | null> {
  if (!isUuid(params.orgId) || !isUuid(params.agentId)) return null;
  const [version] = await db
    .select()
    .from(agentVersions)
    .where(
      and(
        eq(agentVersions.orgId, params.orgId),
        eq(agentVersions.agentId, params.agentId),
        eq(agentVersions.version, params.version),
      ),
    )
    .limit(1);
  return version ?? null;
}

/** The named versions of agents of the org, with each agent's name; missing ones are left out. */
export async function listAgentVersionsByKey(
  db: DatabaseExecutor,
  params: { orgId: string; keys: { agentId: string; version: number }[] },
): Promise<(AgentVersion & { name: string; deletedAt: Date | null })[]> {
  const keys = params.keys.filter((key) => isUuid(key.agentId));
  if (!isUuid(params.orgId) || keys.length === 0) return [];
  const values: Record<string, unknown> = { orgId: params.orgId };
  keys.forEach((key, index) => {
    values[`agent${index}`] = key.agentId;
    values[`version${index}`] = key.version;
  });
  const rows =
    keys.length <= MAX_REUSED_VERSION_KEYS
      ? await agentVersionsByKeyStatement(db, String(keys.length), values, keys.length)
      : await agentVersionsByKeyQuery(db, keys.length).execute(values);
  return rows.map((row) => ({ ...row.version, name: row.name, deletedAt: row.deletedAt }));
}

/** Teams are small: their member lists reuse a statement per size up to this many. */
const MAX_REUSED_VERSION_KEYS = 8;

function agentVersionsByKeyQuery(db: DatabaseExecutor, count: number) {
  return db
    .select({ version: agentVersions, name: agents.name, deletedAt: agents.deletedAt })
    .from(agentVersions)
    .innerJoin(agents, eq(agents.id, agentVersions.agentId))
    .where(
      and(
        eq(agentVersions.orgId, sql.placeholder('orgId')),
        or(
          ...Array.from({ length: count }, (_, index) =>
            and(
              eq(agentVersions.agentId, sql.placeholder(`agent${index}`)),
              eq(agentVersions.version, sql.placeholder(`version${index}`)),
            ),
          ),
        ),
      ),
    );
}

const agentVersionsByKeyStatement = reusableStatementVariants(
  'agent_versions_by_key',
  (db, _variant, count: number) => agentVersionsByKeyQuery(db, count),
);

/** Live agents of the org among `agentIds`, each with its current definition. */
export async function listAgentsByIds(
  db: DatabaseExecutor,
  params: { orgId: string; agentIds: string[] },
): Promise<AgentWithVersion[]> {
  const ids = params.agentIds.filter(isUuid);
  if (!isUuid(params.orgId) || ids.length === 0) return [];
  const rows = await db
    .select({ agent: agents, definition: agentVersions })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.currentVersion)),
    )
    .where(and(eq(agents.orgId, params.orgId), inArray(agents.id, ids), isNull(agents.deletedAt)));
  return rows.map((row) => ({ ...row.agent, definition: row.definition }));
}

/** The org's live agents, newest first; pass the last one of a page as `before` for the next. */
export async function listAgents(
  db: DatabaseExecutor,
  params: { orgId: string; limit?: number; before?: PageCursor },
): Promise<AgentWithVersion[]> {
  if (!isUuid(params.orgId)) return [];
  const conditions = [eq(agents.orgId, params.orgId), isNull(agents.deletedAt)];
  if (params.before) conditions.push(olderThan(agents.createdAt, agents.id, params.before));
  const rows = await db
    .select({ agent: agents, definition: agentVersions })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.currentVersion)),
    )
    .where(and(...conditions))
    .orderBy(desc(agents.createdAt), desc(agents.id))
    .limit(clampPageSize(params.limit));
  return rows.map((row) => ({ ...row.agent, definition: row.definition }));
}

/** Every version of one agent of the org, newest first. */
export async function listAgentVersions(
  db: DatabaseExecutor,
  params: { orgId: string; agentId: string; limit?: number },
): Promise<AgentVersion[]> {
  if (!isUuid(params.orgId) || !isUuid(params.agentId)) return [];
  return db
    .select()
    .from(agentVersions)
    .where(and(eq(agentVersions.orgId, params.orgId), eq(agentVersions.agentId, params.agentId)))
    .orderBy(desc(agentVersions.version))
    .limit(clampPageSize(params.limit));
}

/** Soft-deletes a live agent; resolves null when there was none. */
export async function softDeleteAgent(
  db: DatabaseExecutor,
  params: { orgId: string; agentId: string },
): Promise<Agent | null> {
  if (!isUuid(params.orgId) || !isUuid(params.agentId)) return null;
  const [agent] = await db
    .update(agents)
    .set({ deletedAt: new Date() })
    .where(liveAgent(params.orgId, params.agentId))
    .returning();
  return agent ?? null;
}

function liveAgent(orgId: string, agentId: string) {
  return and(eq(agents.orgId, orgId), eq(agents.id, agentId), isNull(agents.deletedAt));
}
