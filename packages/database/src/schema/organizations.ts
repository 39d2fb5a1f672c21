import { boolean, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns';

/** The org's plan; sets how urgently its runs are scheduled (billing keeps it up to date). */
export const PLAN_TIERS = ['free', 'pro', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export const planTier = pgEnum('plan_tier', PLAN_TIERS);

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
    planTier: planTier('plan_tier').notNull().default('free'),
    ...timestamps(),
  },
  (table) => [uniqueIndex('organizations_slug_unique').on(table.slug)],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
