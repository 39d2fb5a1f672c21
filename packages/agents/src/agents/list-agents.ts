import {
  listAgents as queryAgents,
  type AgentWithVersion,
  type Database,
} from '@switchyard/database';
import { decodePageCursor, toPage, type Page } from '../runs/page-cursor';
import { listPageSchema, type ListPageInput } from './agent-schemas';
import { parseInput } from './parse-input';

/** The org's live agents with their current definitions, newest first, a page at a time. */
export async function listAgents(
  params: { orgId: string } & ListPageInput,
  deps: { db: Database },
): Promise<Page<AgentWithVersion>> {
  const page = parseInput(listPageSchema, { limit: params.limit, cursor: params.cursor });
  const rows = await queryAgents(deps.db, {
    orgId: params.orgId,
    limit: page.limit + 1,
    ...(page.cursor ? { before: decodePageCursor(page.cursor) } : {}),
  });
  return toPage(rows, page.limit);
}
