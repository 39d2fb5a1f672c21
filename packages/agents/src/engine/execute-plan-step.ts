import { randomUUID } from 'node:crypto';
import { insertSteps } from '@switchyard/database';
import { parsePlanText } from '../plans/parse-plan-text';
import { validatePlan } from '../plans/validate-plan';
import { buildPlannerMessages } from './build-step-messages';
import { buildPlanApprovals, requestPlanApprovals } from './plan-approvals';
import { runConversation } from './conversation';
import { loadStepAgent, loadTeamMembers } from './load-step-agents';
import type { StepContext } from './step-context';
import { PermanentStepError } from './step-errors';
import type { StepWork } from './step-work';

/**
 * The supervisor's plan step: the planner turns the task into a DAG of subtasks, which is
 * validated before anything runs. A valid plan adds one agent turn per subtask and a final
 * synthesis step; an invalid plan fails the run with no subtask started. Subtasks that need
 * approval (every one, when the team requires plan approval) wait for a person while the rest of
 * the plan goes on.
 */
export async function executePlanStep(context: StepContext): Promise<StepWork> {
  const planner = await loadStepAgent(context);
  const members = await loadTeamMembers(context);
  const result = await runConversation(context, {
    agent: planner,
    tools: new Map(),
    buildMessages: async () =>
      buildPlannerMessages({ planner, roster: members, task: context.run.input }),
  });
  if (result.kind !== 'answer') {
    throw new PermanentStepError({ code: 'invalid_plan', message: 'The planner did not answer.' });
  }
  const validation = validatePlan(parsePlanText(result.text), members);
  if (!validation.ok) {
    throw new PermanentStepError({
      code: 'invalid_plan',
      message: 'The plan was refused before any subtask ran.',
      errors: validation.errors,
    });
  }

  const ids = new Map(validation.subtasks.map((subtask) => [subtask.id, randomUUID()]));
  const stepId = (subtaskId: string) => ids.get(subtaskId) ?? subtaskId;
  return {
    kind: 'succeeded',
    output: { plan: validation.plan },
    followUp: async (change) => {
      const { tx, emit, step } = change;
      const approvals = buildPlanApprovals({
        planStep: step,
        subtasks: validation.subtasks,
        stepIdOf: stepId,
        requirePlanApproval: context.run.teamSnapshot?.requirePlanApproval === true,
      });
      const subtasks = validation.subtasks.map((subtask, index) => ({
        id: stepId(subtask.id),
        runId: step.runId,
        orgId: step.orgId,
        kind: 'agent_turn' as const,
        status: 'pending' as const,
        position: index + 1,
        dependsOn: [...subtask.dependsOn.map(stepId), ...(approvals.gates.get(subtask.id) ?? [])],
        agentId: subtask.member.agentId,
        agentVersion: subtask.member.version,
        input: { task: subtask.task, subtaskId: subtask.id, agent: subtask.member.name },
      }));
      await insertSteps(tx, {
        steps: [
          ...subtasks,
          {
            runId: step.runId,
            orgId: step.orgId,
            kind: 'synthesis',
            status: 'pending',
            position: subtasks.length + 1,
            dependsOn: subtasks.map((subtask) => subtask.id),
            agentId: step.agentId,
            agentVersion: step.agentVersion,
            input: { task: context.run.input },
          },
        ],
      });
      emit('plan.created', {
        stepId: step.id,
        subtasks: validation.subtasks.map((subtask) => ({
          id: subtask.id,
          stepId: stepId(subtask.id),
          agent: subtask.member.name,
          agentId: subtask.member.agentId,
          task: subtask.task,
          dependsOn: subtask.dependsOn,
          needsApproval: subtask.needsApproval,
        })),
      });
      await requestPlanApprovals(change, approvals);
    },
  };
}
