import { randomUUID } from 'node:crypto';
import {
  getRunTargetContext,
  insertRunWithSteps,
  type RunTargetContext,
  type Run,
  type RunBudget,
  type Step,
  type TeamSnapshot,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import type { RunServiceDeps } from '../engine/engine-deps';
import { enqueueSteps } from '../engine/enqueue-steps';
import { buildInitialSteps } from '../engine/strategies/initial-steps';
import { publishRunEvents } from '../events/publish-run-events';
import { resolveRunPriority } from './resolve-run-priority';
import {
  createRunSchema,
  runPrioritySchema,
  type CreateRunInput,
  type RunTarget,
} from './run-schemas';

export type CreateRunSettings = {
  /** The wall-clock limit of every run (`RUN_MAX_DURATION_MS`); a budget may only lower it. */
  runMaxDurationMs: number;
  /** Limits applied when the request sets none. */
  defaultBudget?: RunBudget;
};

export type CreateRunParams = {
  orgId: string;
  actor: AuditActor;
  input: CreateRunInput;
  /**
   * The priority a schedule asks for, 1 (most urgent) to 10; the input's own `priority` wins.
   * Either way the run is never more urgent than the org's plan tier allows.
   */
  priority?: number;
  /** The schedule that started the run, if any. */
  scheduleId?: string | null;
};

/**
 * Starts a run: validates the input, pins the agent version (or snapshots the team with its
 * pinned members), inserts the run, its first steps and its first event in one statement, then
 * enqueues the steps. Never waits for the run itself.
 */
export async function createRun(
  params: CreateRunParams,
  deps: RunServiceDeps & { settings: CreateRunSettings },
): Promise<{ run: Run; steps: Step[] }> {
  const input = parseInput(createRunSchema, params.input);
  const requested =
    input.priority ??
    (params.priority === undefined ? undefined : parseInput(runPrioritySchema, params.priority));
  const budget: RunBudget = { ...deps.settings.defaultBudget, ...input.budget };
  const durationMs = Math.min(budget.maxDurationMs ?? Infinity, deps.settings.runMaxDurationMs);

  const runId = randomUUID();
  // One statement reads the org's plan tier and the target; the run, its first steps and its
  // first event are then one statement (one commit, no transaction around it).
  const context = await getRunTargetContext(deps.db, {
    orgId: params.orgId,
    target: input.target,
  });
  const { planTier } = context;
  if (!planTier) throw new AppError('NOT_FOUND', { message: 'Organization not found.' });
  const target = resolveTarget(input.target, context);
  const priority = resolveRunPriority({
    planTier,
    requested,
    scheduled: Boolean(params.scheduleId),
  });
  const { run, steps, events } = await insertRunWithSteps(deps.db, {
    run: {
      id: runId,
      orgId: params.orgId,
      createdByUserId: params.actor.userId,
      targetKind: input.target.kind,
      agentId: target.agent?.agentId ?? null,
      agentVersion: target.agent?.version ?? null,
      teamId: input.target.kind === 'team' ? input.target.teamId : null,
      teamSnapshot: target.team ?? null,
      input: input.input,
      priority,
      budget,
      scheduleId: params.scheduleId ?? null,
      deadlineAt: new Date(Date.now() + durationMs),
    },
    steps: buildInitialSteps({ runId, orgId: params.orgId, ...target }),
    event: {
      type: 'run.queued',
      data: {
        status: 'queued',
        target: input.target,
        priority,
        budget,
        ...(params.scheduleId ? { scheduleId: params.scheduleId } : {}),
      },
    },
  });
  // Neither throws, and neither has to wait for the other.
  await Promise.all([
    publishRunEvents(deps.redis, events, deps.log),
    enqueueSteps(
      deps,
      run,
      steps.filter((step) => step.status === 'queued'),
      deps.log,
    ),
  ]);
  return { run, steps };
}

type ResolvedTarget = {
  agent?: { agentId: string; version: number; name: string };
  team?: TeamSnapshot & { memberNames: string[] };
};

/** The target's pinned agent version, or the team's snapshot, from what `createRun` read. */
function resolveTarget(target: RunTarget, context: RunTargetContext): ResolvedTarget {
  const nameOf = (key: { agentId: string; version: number }) =>
    context.versions.find(
      (version) => version.agentId === key.agentId && version.version === key.version,
    )?.name;
  if (target.kind === 'agent') {
    const { agent } = context;
    if (!agent) throw new AppError('NOT_FOUND', { message: 'Agent not found.' });
    const version = target.version ?? agent.currentVersion;
    if (nameOf({ agentId: agent.id, version }) === undefined) {
      throw new AppError('NOT_FOUND', { message: `The agent has no version ${version}.` });
    }
    return { agent: { agentId: agent.id, version, name: agent.name } };
  }
  const { team } = context;
  if (!team) throw new AppError('NOT_FOUND', { message: 'Team not found.' });
  const planner =
    team.plannerAgentId && team.plannerAgentVersion
      ? { agentId: team.plannerAgentId, version: team.plannerAgentVersion }
      : null;
  const memberNames = team.members.map((member) => {
    const name = nameOf(member);
    if (name === undefined) {
      throw new AppError('UNPROCESSABLE', {
        message: 'A member of the team no longer exists; save the team again.',
      });
    }
    return name;
  });
  return {
    team: {
      name: team.name,
      strategy: team.strategy,
      planner,
      members: team.members,
      requirePlanApproval: team.requirePlanApproval,
      memberNames,
    },
  };
}
