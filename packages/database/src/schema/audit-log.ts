import { index, inet, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { organizations } from './organizations';
import { users } from './users';

/**
 * Append-only record of security-relevant actions. Rows outlive the org and user they mention
 * (foreign keys set null), so the trail survives deletions until retention removes it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'set null' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: inet('ip'),
    userAgent: text('user_agent'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    // Serves `ORDER BY created_at DESC, id DESC` per org (DESC means NULLS FIRST in Postgres, so
    // the index says so too); `id` breaks ties, as events written in one transaction share `now()`.
    index('audit_log_org_id_created_at_idx').on(
      table.orgId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index('audit_log_created_at_idx').on(table.createdAt),
  ],
);

export type AuditEvent = typeof auditLog.$inferSelect;
export type NewAuditEvent = typeof auditLog.$inferInsert;
