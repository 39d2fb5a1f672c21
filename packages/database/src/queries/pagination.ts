import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError, isUuid } from '@switchyard/shared';

/** Position after which the next page starts (newest first): the last row seen. */
export type PageCursor = { createdAt: Date; id: string };

export const MAX_PAGE_SIZE = 500;

export function clampPageSize(limit: number | undefined, fallback = 50): number {
  const value = limit === undefined || Number.isNaN(limit) ? fallback : Math.trunc(limit);
  return Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
}

/**
 * `(created_at, id) < (cursor)`: with `ORDER BY created_at DESC, id DESC`, rows sharing a
 * timestamp land on exactly one page.
 */
export function olderThan(createdAt: PgColumn, id: PgColumn, cursor: PageCursor): SQL {
  if (!isUuid(cursor.id) || Number.isNaN(cursor.createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', { message: 'The page cursor is not valid.' });
  }
  return sql`(${createdAt}, ${id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`;
}
