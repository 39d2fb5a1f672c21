import {
  getAgentVersion,
  listAgentVersionsByKey,
  type AgentVersion,
  type TeamMember,
} from '@switchyard/database';
import type { PlanMember } from '../plans/validate-plan';
import type { StepContext } from './step-context';
import { PermanentStepError } from './step-errors';

/** Agent versions this process read lately, by `orgId:agentId:version`. */
const recentVersions = new Map<string, AgentVersion>();
const RECENT_VERSIONS_MAX = 500;

/**
 * The agent version the step pinned. A saved version never changes (an edit saves the next one,
 * a deleted agent keeps its versions for the runs that pinned them), so versions read once are
 * kept in memory: most steps of a busy worker then skip this read.
 */
export async function loadStepAgent(context: StepContext): Promise<AgentVersion> {
  const { step } = context;
  const key = `${step.orgId}:${step.agentId ?? ''}:${step.agentVersion ?? ''}`;
  const version =
    recentVersions.get(key) ??
    (step.agentId && step.agentVersion
      ? await getAgentVersion(context.deps.db, {
          orgId: step.orgId,
          agentId: step.agentId,
          version: step.agentVersion,
        })
      : null);
  if (version && !recentVersions.has(key)) {
    // Oldest first out: a Map iterates in insertion order.
    if (recentVersions.size >= RECENT_VERSIONS_MAX) {
      const oldest = recentVersions.keys().next();
      if (!oldest.done) recentVersions.delete(oldest.value);
    }
    recentVersions.set(key, version);
  }
  if (!version) {
    throw new PermanentStepError({
      code: 'agent_not_found',
      message: 'The agent version this step uses no longer exists.',
    });
  }
  return version;
}

export type TeamMemberVersion = PlanMember & { instructions: string };

/** The run's team members (as snapshotted at run creation) with their names, in team order. */
export async function loadTeamMembers(context: StepContext): Promise<TeamMemberVersion[]> {
  const members: TeamMember[] = context.run.teamSnapshot?.members ?? [];
  const versions = await listAgentVersionsByKey(context.deps.db, {
    orgId: context.run.orgId,
    keys: members,
  });
  return members.flatMap((member) => {
    const found = versions.find(
      (version) => version.agentId === member.agentId && version.version === member.version,
    );
    return found
      ? [
          {
            agentId: found.agentId,
            version: found.version,
            name: found.name,
            instructions: found.instructions,
          },
        ]
      : [];
  });
}
