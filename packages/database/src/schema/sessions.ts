import { boolean, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { users } from './users';

/**
 * A signed-in device. Access tokens carry its id (`sid`); refresh tokens belong to it (the
 * session is the refresh-token family). Revoking it ends every token it issued.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** When the user last proved who they are (password, second factor, provider). */
    authenticatedAt: timestamptz('authenticated_at').notNull().defaultNow(),
    /** Whether a second factor was verified for this session. */
    twoFactorVerified: boolean('two_factor_verified').notNull().default(false),
    /** How the session began: password, oauth:<provider>. */
    method: text('method').notNull().default('password'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    /** Absolute lifetime: the session ends then, however active it is. */
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('sessions_user_id_idx').on(table.userId)],
);

export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
