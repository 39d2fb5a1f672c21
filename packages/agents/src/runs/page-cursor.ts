import type { PageCursor } from '@switchyard/database';
import { AppError, isUuid } from '@switchyard/shared';

/** An opaque cursor for the next page: the position of the last item returned. */
export function encodePageCursor(item: { createdAt: Date; id: string }): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor from `encodePageCursor`; a malformed one is a 400. */
export function decodePageCursor(cursor: string): PageCursor {
  const [createdAt = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt);
  if (!isUuid(id) || Number.isNaN(date.getTime())) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The page cursor is not valid.',
      details: { errors: [{ path: 'cursor', message: 'not a cursor returned by this API' }] },
    });
  }
  return { createdAt: date, id };
}

/** One page of a list, newest first, and the cursor of the next page (null on the last). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is more. */
export function toPage<T extends { createdAt: Date; id: string }>(
  rows: T[],
  limit: number,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
}
