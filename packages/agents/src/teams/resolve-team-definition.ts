import {
  getAgent,
  getAgentVersion,
  type DatabaseExecutor,
  type TeamDefinitionParams,
  type TeamMember,
} from '@switchyard/database';
import { AppError, type FieldError } from '@switchyard/shared';
import type { TeamFields } from './team-schemas';

/**
 * Checks a team against its strategy and pins every member (and the planner) to a version: the
 * one asked for, else the agent's current one. Members must be live agents of the org.
 */
export async function resolveTeamDefinition(
  db: DatabaseExecutor,
  params: { orgId: string; fields: TeamFields },
): Promise<TeamDefinitionParams> {
  const { fields } = params;
  const errors: FieldError[] = [];
  const ids = fields.members.map((member) => member.agentId);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) {
      errors.push({ path: `members.${index}.agentId`, message: 'this agent is already a member' });
    }
  });
  if (fields.strategy === 'supervisor' && !fields.planner) {
    errors.push({ path: 'planner', message: 'a supervisor team needs a planner agent' });
  }
  if (fields.strategy !== 'supervisor' && fields.planner) {
    errors.push({ path: 'planner', message: 'only a supervisor team has a planner' });
  }
  if (fields.strategy !== 'supervisor' && fields.requirePlanApproval) {
    errors.push({ path: 'requirePlanApproval', message: 'only a supervisor team has a plan' });
  }
  if (fields.strategy === 'handoff' && fields.members.length < 2) {
    errors.push({ path: 'members', message: 'a handoff team needs at least two agents' });
  }

  const members: TeamMember[] = [];
  for (const [index, member] of fields.members.entries()) {
    const pinned = await pinVersion(db, params.orgId, member, `members.${index}`, errors);
    if (pinned) members.push(pinned);
  }
  const planner = fields.planner
    ? await pinVersion(db, params.orgId, fields.planner, 'planner', errors)
    : null;
  if (errors.length > 0) {
    throw new AppError('UNPROCESSABLE', {
      message: 'The team is not valid.',
      details: { errors },
    });
  }
  return {
    name: fields.name,
    strategy: fields.strategy,
    plannerAgentId: planner?.agentId ?? null,
    plannerAgentVersion: planner?.version ?? null,
    members,
    requirePlanApproval: fields.requirePlanApproval,
  };
}

async function pinVersion(
  db: DatabaseExecutor,
  orgId: string,
  member: { agentId: string; version?: number | undefined },
  path: string,
  errors: FieldError[],
): Promise<TeamMember | null> {
  const agent = await getAgent(db, { orgId, agentId: member.agentId });
  if (!agent) {
    errors.push({ path: `${path}.agentId`, message: 'no such agent' });
    return null;
  }
  if (member.version === undefined) return { agentId: agent.id, version: agent.currentVersion };
  const version = await getAgentVersion(db, { orgId, agentId: agent.id, version: member.version });
  if (!version) {
    errors.push({ path: `${path}.version`, message: 'this agent has no such version' });
    return null;
  }
  return { agentId: agent.id, version: version.version };
}
