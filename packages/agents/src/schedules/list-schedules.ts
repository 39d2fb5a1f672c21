import {
  listSchedules as querySchedules,
  type Database,
  type Schedule,
} from '@switchyard/database';
import { listPageSchema, type ListPageInput } from '../agents/agent-schemas';
import { parseInput } from '../agents/parse-input';
import { decodePageCursor, toPage, type Page } from '../runs/page-cursor';

/** The org's schedules, newest first, a page at a time. */
export async function listSchedules(
  params: { orgId: string } & ListPageInput,
  deps: { db: Database },
): Promise<Page<Schedule>> {
  const page = parseInput(listPageSchema, { limit: params.limit, cursor: params.cursor });
  const rows = await querySchedules(deps.db, {
    orgId: params.orgId,
    limit: page.limit + 1,
    ...(page.cursor ? { before: decodePageCursor(page.cursor) } : {}),
  });
  return toPage(rows, page.limit);
}
