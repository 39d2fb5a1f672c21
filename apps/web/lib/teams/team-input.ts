import type { Team, TeamStrategy } from '@/lib/api/runtime-schemas';
import type { TeamInput, TeamUpdateInput } from '@/lib/api/teams';

/** The team form's values, and what they send to the api on create and on edit. */
export type TeamFormValues = {
  name: string;
  strategy: TeamStrategy;
  /** Supervisor teams only; `''` when none is chosen. */
  plannerId: string;
  /** In order: a sequential team's members work one after another. */
  memberIds: string[];
  requirePlanApproval: boolean;
  /** Edit only: move the members and the planner to their agents' newest versions. */
  repin: boolean;
};

export const NEW_TEAM_VALUES: TeamFormValues = {
  name: '',
  strategy: 'supervisor',
  plannerId: '',
  memberIds: [],
  requirePlanApproval: false,
  repin: false,
};

export function teamFormValues(team: Team): TeamFormValues {
  return {
    name: team.name,
    strategy: team.strategy,
    plannerId: team.planner?.agentId ?? '',
    memberIds: team.members.map((member) => member.agentId),
    requirePlanApproval: team.requirePlanApproval ?? false,
    repin: false,
  };
}

/** A new team: every member (and the planner) pinned at its current version by the api. */
export function toTeamInput(values: TeamFormValues): TeamInput {
  const isSupervisor = values.strategy === 'supervisor';
  return {
    name: values.name.trim(),
    strategy: values.strategy,
    planner: isSupervisor && values.plannerId ? { agentId: values.plannerId } : null,
    members: values.memberIds.map((agentId) => ({ agentId })),
    requirePlanApproval: isSupervisor && values.requirePlanApproval,
  };
}

/**
 * The PATCH body for what changed, or null when nothing did. The api re-pins every member it is
 * sent, so agents that stay keep their pinned version unless `repin` asks for the newest; a
 * change of strategy sends the planner and plan approval along, which only supervisors have.
 */
export function buildTeamUpdate(team: Team, values: TeamFormValues): TeamUpdateInput | null {
  const update: TeamUpdateInput = {};
  const pin = (agentId: string, pinned: Team['planner'] | undefined) =>
    pinned && pinned.agentId === agentId && !values.repin
      ? { agentId, version: pinned.version }
      : { agentId };
  const name = values.name.trim();
  if (name !== team.name) update.name = name;

  const isSupervisor = values.strategy === 'supervisor';
  const planner = isSupervisor && values.plannerId ? pin(values.plannerId, team.planner) : null;
  if (values.strategy !== team.strategy) {
    update.strategy = values.strategy;
    update.planner = planner;
    update.requirePlanApproval = isSupervisor && values.requirePlanApproval;
  } else if (isSupervisor) {
    if (values.plannerId !== (team.planner?.agentId ?? '') || values.repin) {
      update.planner = planner;
    }
    if (values.requirePlanApproval !== (team.requirePlanApproval ?? false)) {
      update.requirePlanApproval = values.requirePlanApproval;
    }
  }

  const currentIds = team.members.map((member) => member.agentId);
  const membersChanged =
    values.memberIds.length !== currentIds.length ||
    values.memberIds.some((agentId, index) => agentId !== currentIds[index]);
  if (membersChanged || values.repin) {
    update.members = values.memberIds.map((agentId) =>
      pin(
        agentId,
        team.members.find((member) => member.agentId === agentId),
      ),
    );
  }
  return Object.keys(update).length > 0 ? update : null;
}

/** Agents the update would pin that are no longer live (the api refuses them). */
export function findDeletedAgents(
  update: TeamUpdateInput,
  liveAgentIds: ReadonlySet<string>,
): { planner: boolean; members: string[] } {
  return {
    planner: Boolean(update.planner && !liveAgentIds.has(update.planner.agentId)),
    members: (update.members ?? [])
      .map((member) => member.agentId)
      .filter((agentId) => !liveAgentIds.has(agentId)),
  };
}
