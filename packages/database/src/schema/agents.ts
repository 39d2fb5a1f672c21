import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from './columns';
import { organizations } from './organizations';
import { users } from './users';

/**
 * An org's agent. Its definition lives in `agent_versions`: every edit inserts a new version and
 * moves `current_version`, so a run that pinned an older version keeps running exactly that one.
 */
export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
    /** Soft delete: runs and teams keep pointing at the versions they pinned. */
    deletedAt: timestamptz('deleted_at'),
  },
  (table) => [
    // Plans name agents, so a name means one live agent per org (deleted ones free the name).
    uniqueIndex('agents_org_id_name_lower_unique')
      .on(table.orgId, sql`lower(${table.name})`)
      .where(sql`${table.deletedAt} is null`),
    index('agents_org_id_created_at_idx')
      .on(table.orgId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.deletedAt} is null`),
  ],
);

export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;
