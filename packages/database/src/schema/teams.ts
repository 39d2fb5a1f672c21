import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { agents } from './agents';
import { timestamps, timestamptz } from './columns';
import { organizations } from './organizations';
import { users } from './users';

export const TEAM_STRATEGIES = ['supervisor', 'sequential', 'handoff'] as const;
export type TeamStrategy = (typeof TEAM_STRATEGIES)[number];

export const teamStrategy = pgEnum('team_strategy', TEAM_STRATEGIES);

/** An agent version pinned when the team was saved. */
export type TeamMember = { agentId: string; version: number };

/**
 * Agents working together under a strategy. Member (and planner) versions are pinned at save, so
 * editing an agent changes a team only when the team is saved again.
 */
export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    strategy: teamStrategy('strategy').notNull(),
    /** Supervisor strategy: the agent that plans and synthesises. */
    plannerAgentId: uuid('planner_agent_id').references(() => agents.id),
    plannerAgentVersion: integer('planner_agent_version'),
    /** In order: the sequential strategy runs them in this order, handoff starts with the first. */
    members: jsonb('members').$type<TeamMember[]>().notNull().default([]),
    /** Supervisor strategy: a person approves (and may edit) each plan before a subtask runs. */
    requirePlanApproval: boolean('require_plan_approval').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
    deletedAt: timestamptz('deleted_at'),
  },
  (table) => [
    index('teams_org_id_created_at_idx')
      .on(table.orgId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.deletedAt} is null`),
  ],
);

export type Team = typeof teams.$inferSelect;
export type NewTeam = typeof teams.$inferInsert;
