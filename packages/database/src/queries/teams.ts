import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { isUuid } from '@switchyard/shared';
import type { DatabaseExecutor } from '../client';
import { reusableStatement } from '../reusable-statement';
import { teams, type Team, type TeamMember, type TeamStrategy } from '../schema';
import { clampPageSize, olderThan, type PageCursor } from './pagination';

export type { Team, TeamMember, TeamStrategy } from '../schema';

export type TeamDefinitionParams = {
  name: string;
  strategy: TeamStrategy;
  plannerAgentId: string | null;
  plannerAgentVersion: number | null;
  members: TeamMember[];
  requirePlanApproval: boolean;
};

export async function insertTeam(
  db: DatabaseExecutor,
  params: TeamDefinitionParams & { orgId: string; createdBy: string | null },
): Promise<Team> {
  const [team] = await db
    .insert(teams)
    .values({
      orgId: params.orgId,
      name: params.name,
      strategy: params.strategy,
      plannerAgentId: params.plannerAgentId,
      plannerAgentVersion: params.plannerAgentVersion,
      members: params.members,
      requirePlanApproval: params.requirePlanApproval,
      createdBy: params.createdBy,
    })
    .returning();
  if (!team) throw new Error('insert into teams returned no row');
  return team;
}

/** A live team of the org. */
export async function getTeam(
  db: DatabaseExecutor,
  params: { orgId: string; teamId: string },
): Promise<Team | null> {
  if (!isUuid(params.orgId) || !isUuid(params.teamId)) return null;
  const [team] = await getTeamStatement(db, { orgId: params.orgId, teamId: params.teamId });
  return team ?? null;
}

const getTeamStatement = reusableStatement('get_team', (db) =>
  db
    .select()
    .from(teams)
    .where(
      and(
        eq(teams.orgId, sql.placeholder('orgId')),
        eq(teams.id, sql.placeholder('teamId')),
        isNull(teams.deletedAt),
      ),
    )
    .limit(1),
);

/** The org's live teams, newest first; pass the last one of a page as `before` for the next. */
export async function listTeams(
  db: DatabaseExecutor,
  params: { orgId: string; limit?: number; before?: PageCursor },
): Promise<Team[]> {
  if (!isUuid(params.orgId)) return [];
  const conditions = [eq(teams.orgId, params.orgId), isNull(teams.deletedAt)];
  if (params.before) conditions.push(olderThan(teams.createdAt, teams.id, params.before));
  return db
    .select()
    .from(teams)
    .where(and(...conditions))
    .orderBy(desc(teams.createdAt), desc(teams.id))
    .limit(clampPageSize(params.limit));
}

/** Replaces a live team's definition; resolves null when there is no such team. */
export async function updateTeam(
  db: DatabaseExecutor,
  params: TeamDefinitionParams & { orgId: string; teamId: string },
): Promise<Team | null> {
  if (!isUuid(params.orgId) || !isUuid(params.teamId)) return null;
  const [team] = await db
    .update(teams)
    .set({
      name: params.name,
      strategy: params.strategy,
      plannerAgentId: params.plannerAgentId,
      plannerAgentVersion: params.plannerAgentVersion,
      members: params.members,
      requirePlanApproval: params.requirePlanApproval,
    })
    .where(liveTeam(params))
    .returning();
  return team ?? null;
}

export async function softDeleteTeam(
  db: DatabaseExecutor,
  params: { orgId: string; teamId: string },
): Promise<Team | null> {
  if (!isUuid(params.orgId) || !isUuid(params.teamId)) return null;
  const [team] = await db
    .update(teams)
    .set({ deletedAt: new Date() })
    .where(liveTeam(params))
    .returning();
  return team ?? null;
}

function liveTeam(params: { orgId: string; teamId: string }) {
  return and(eq(teams.orgId, params.orgId), eq(teams.id, params.teamId), isNull(teams.deletedAt));
}
