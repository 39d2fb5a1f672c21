import { boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from './columns';
import { organizations } from './organizations';
import type { RunBudget } from './run-types';
import { users } from './users';

/** What a schedule starts each time it fires. */
export type ScheduleTarget = {
  kind: 'agent' | 'team';
  /** The agent's or the team's id. */
  id: string;
  input: string;
  budget?: RunBudget;
  priority?: number;
};

/** A cron-triggered run, per org. */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    cron: text('cron').notNull(),
    /** IANA time zone the cron pattern is evaluated in. */
    timezone: text('timezone').notNull().default('UTC'),
    target: jsonb('target').$type<ScheduleTarget>().notNull(),
    paused: boolean('paused').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
    lastRunAt: timestamptz('last_run_at'),
  },
  (table) => [
    index('schedules_org_id_created_at_idx').on(
      table.orgId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
  ],
);

export type Schedule = typeof schedules.$inferSelect;
export type NewSchedule = typeof schedules.$inferInsert;
