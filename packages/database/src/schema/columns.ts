import { timestamp } from 'drizzle-orm/pg-core';

/**
 * A `timestamptz` column read as a JS `Date`. Millisecond precision matches `Date`, so a value
 * read back and used as a cursor or filter compares exactly equal to the stored one.
 */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
}

/** `created_at` / `updated_at` pair; `updated_at` is refreshed by Drizzle on every update. */
export function timestamps() {
  return {
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at')
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  };
}
