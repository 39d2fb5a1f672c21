import { boolean, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns';

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    /** The single-member org created for every user at sign-up. */
    personal: boolean('personal').notNull().default(false),
    /** Members must have a second factor enabled to use this org. */
    requireTwoFactor: boolean('require_two_factor').notNull().default(false),
    ...timestamps(),
  },
  (table) => [uniqueIndex('organizations_slug_unique').on(table.slug)],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
