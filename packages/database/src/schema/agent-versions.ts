import { integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents';
import { timestamptz } from './columns';
import { organizations } from './organizations';
import { users } from './users';

/** Model parameters of an agent version; anything the provider does not know is ignored. */
export type AgentParameters = {
  temperature?: number;
  /** Most output tokens per model call. */
  maxTokens?: number;
};

/** One immutable version of an agent's definition; `(agent_id, version)` is what runs pin. */
export const agentVersions = pgTable(
  'agent_versions',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The role instructions, sent as the system message. */
    instructions: text('instructions').notNull(),
    /** Provider id, for example `openai`, `anthropic` or `scripted`. */
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    parameters: jsonb('parameters').$type<AgentParameters>().notNull().default({}),
    /** Names of the built-in tools this agent may call. */
    tools: text('tools').array().notNull().default([]),
    /** Most model calls in one turn of this agent. */
    maxSteps: integer('max_steps').notNull().default(10),
    /** JSON Schema the final answer must match, when set. */
    outputSchema: jsonb('output_schema').$type<Record<string, unknown>>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.agentId, table.version] })],
);

export type AgentVersion = typeof agentVersions.$inferSelect;
export type NewAgentVersion = typeof agentVersions.$inferInsert;
