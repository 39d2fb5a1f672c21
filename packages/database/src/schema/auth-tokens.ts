import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { users } from './users';

export const AUTH_TOKEN_PURPOSES = [
  'verify_email',
  'reset_password',
  'change_email',
  'two_factor_challenge',
] as const;
export type AuthTokenPurpose = (typeof AUTH_TOKEN_PURPOSES)[number];
export const authTokenPurpose = pgEnum('auth_token_purpose', AUTH_TOKEN_PURPOSES);

/** Single-use, short-lived tokens sent by e-mail or handed out between login steps. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: authTokenPurpose('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Purpose-specific data, for example the new address of a `change_email` token. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (table) => [
    uniqueIndex('auth_tokens_token_hash_unique').on(table.tokenHash),
    index('auth_tokens_user_id_purpose_idx').on(table.userId, table.purpose),
  ],
);

export type AuthToken = typeof authTokens.$inferSelect;
