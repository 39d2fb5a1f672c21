import { getTeam as findTeam, type Database, type Team } from '@switchyard/database';

/** A live team of the org; null when not found, also for another org's team. */
export async function getTeam(
  params: { orgId: string; teamId: string },
  deps: { db: Database },
): Promise<Team | null> {
  return findTeam(deps.db, params);
}
