import { randomUUID } from 'node:crypto';
import { insertSteps, updateRun, type InsertStepParams, type Step } from '@switchyard/database';
import type { RunChangeContext } from '../events/record-run-change';
import type { ValidatedSubtask } from '../plans/validate-plan';

/** What a plan approval asks a person to decide; stored as the approval step's input. */
export type PlanApprovalInput =
  | {
      kind: 'plan';
      subtasks: { id: string; stepId: string; agent: string; task: string; dependsOn: string[] }[];
    }
  | { kind: 'plan_subtask'; subtaskId: string; stepId: string; agent: string; task: string };

/** The approval steps a new plan needs, and the extra dependency each subtask gets from them. */
export type PlanApprovals = {
  steps: (InsertStepParams & { id: string })[];
  /** Approval step ids a subtask (by the planner's id) must wait for. */
  gates: Map<string, string[]>;
};

/**
 * Approvals for a validated plan: one for the whole plan when the team requires it, and one per
 * subtask the planner marked `needsApproval`. Each gates its subtasks through `dependsOn`, so
 * the rest of the plan goes on while a person decides, and nothing holds a worker.
 */
export function buildPlanApprovals(params: {
  planStep: Step;
  subtasks: readonly ValidatedSubtask[];
  stepIdOf: (subtaskId: string) => string;
  requirePlanApproval: boolean;
}): PlanApprovals {
  const { planStep } = params;
  const steps: PlanApprovals['steps'] = [];
  const approval = (input: PlanApprovalInput, key: string) => ({
    id: randomUUID(),
    runId: planStep.runId,
    orgId: planStep.orgId,
    kind: 'approval' as const,
    parentStepId: planStep.id,
    status: 'waiting_for_approval' as const,
    position: steps.length,
    agentId: planStep.agentId,
    agentVersion: planStep.agentVersion,
    input,
    idempotencyKey: `approval:plan:${planStep.id}:${key}`,
    startedAt: new Date(),
  });
  const gates = new Map<string, string[]>(params.subtasks.map((subtask) => [subtask.id, []]));
  if (params.requirePlanApproval) {
    const whole = approval(
      {
        kind: 'plan',
        subtasks: params.subtasks.map((subtask) => ({
          id: subtask.id,
          stepId: params.stepIdOf(subtask.id),
          agent: subtask.member.name,
          task: subtask.task,
          dependsOn: subtask.dependsOn,
        })),
      },
      'plan',
    );
    steps.push(whole);
    for (const ids of gates.values()) ids.push(whole.id);
  }
  for (const subtask of params.subtasks) {
    if (!subtask.needsApproval) continue;
    const gate = approval(
      {
        kind: 'plan_subtask',
        subtaskId: subtask.id,
        stepId: params.stepIdOf(subtask.id),
        agent: subtask.member.name,
        task: subtask.task,
      },
      `subtask:${subtask.id}`,
    );
    steps.push(gate);
    gates.get(subtask.id)?.push(gate.id);
  }
  return { steps, gates };
}

/** Stores the approvals and parks the run (its other steps go on) until they are decided. */
export async function requestPlanApprovals(
  change: RunChangeContext,
  approvals: PlanApprovals,
): Promise<void> {
  if (approvals.steps.length === 0) return;
  const { tx, run, emit } = change;
  const stored = await insertSteps(tx, { steps: approvals.steps });
  if (run.status !== 'waiting_for_approval') {
    await updateRun(tx, {
      orgId: run.orgId,
      runId: run.id,
      statuses: ['queued', 'running'],
      values: { status: 'waiting_for_approval' },
    });
    emit('run.waiting_for_approval', { status: 'waiting_for_approval', stepId: stored[0]?.id });
  }
  for (const step of stored) {
    const input = step.input as PlanApprovalInput;
    emit('approval.requested', {
      stepId: step.id,
      parentStepId: step.parentStepId,
      kind: input.kind,
      ...(input.kind === 'plan'
        ? { subtasks: input.subtasks }
        : { subtaskId: input.subtaskId, agent: input.agent, task: input.task }),
    });
  }
}
