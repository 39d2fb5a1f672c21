import { listRuns as queryRuns, type Database, type Run } from '@switchyard/database';
import { parseInput } from '../agents/parse-input';
import { decodePageCursor, toPage, type Page } from './page-cursor';
import { listRunsSchema, type ListRunsInput } from './run-schemas';

/** The org's runs, newest first, filtered by status, agent or team, a page at a time. */
export async function listRuns(
  params: { orgId: string } & ListRunsInput,
  deps: { db: Database },
): Promise<Page<Run>> {
  const { orgId, ...filters } = params;
  const input = parseInput(listRunsSchema, filters);
  const rows = await queryRuns(deps.db, {
    orgId,
    ...(input.status ? { status: input.status } : {}),
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.teamId ? { teamId: input.teamId } : {}),
    limit: input.limit + 1,
    ...(input.cursor ? { before: decodePageCursor(input.cursor) } : {}),
  });
  return toPage(rows, input.limit);
}
