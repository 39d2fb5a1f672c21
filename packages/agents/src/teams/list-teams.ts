import { listTeams as queryTeams, type Database, type Team } from '@switchyard/database';
import { listPageSchema, type ListPageInput } from '../agents/agent-schemas';
import { parseInput } from '../agents/parse-input';
import { decodePageCursor, toPage, type Page } from '../runs/page-cursor';

/** The org's live teams, newest first, a page at a time. */
export async function listTeams(
  params: { orgId: string } & ListPageInput,
  deps: { db: Database },
): Promise<Page<Team>> {
  const page = parseInput(listPageSchema, { limit: params.limit, cursor: params.cursor });
  const rows = await queryTeams(deps.db, {
    orgId: params.orgId,
    limit: page.limit + 1,
    ...(page.cursor ? { before: decodePageCursor(page.cursor) } : {}),
  });
  return toPage(rows, page.limit);
}
