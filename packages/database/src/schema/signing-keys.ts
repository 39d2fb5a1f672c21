import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';

/**
 * Keys that sign access tokens. The newest active key signs; older ones stay in the JWKS until
 * `expiresAt`, so rotating never logs anyone out.
 */
export const signingKeys = pgTable('signing_keys', {
  /** The JWT `kid`. */
  id: text('id').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  /** The private JWK, encrypted with AUTH_SECRET. */
  privateJwkEncrypted: text('private_jwk_encrypted').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  /** After this the key no longer signs. */
  retiresAt: timestamptz('retires_at'),
  /** After this the key no longer verifies and leaves the JWKS. */
  expiresAt: timestamptz('expires_at'),
});

export type SigningKey = typeof signingKeys.$inferSelect;
