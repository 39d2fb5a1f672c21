import { insertSteps, type Step } from '@switchyard/database';
import type { RunChangeContext } from '../../events/record-run-change';
import type { TeamMemberVersion } from '../load-step-agents';

/**
 * Adds the next turn of a handoff team: the target agent, depending on the turn that handed
 * over, with the handing agent's message as its task.
 */
export function handoffFollowUp(params: {
  target: TeamMemberVersion;
  from: { agentId: string | null; name: string };
  message: string;
  handoffs: number;
}) {
  return async ({ tx, emit, step }: RunChangeContext & { step: Step }): Promise<void> => {
    const [next] = await insertSteps(tx, {
      steps: [
        {
          runId: step.runId,
          orgId: step.orgId,
          kind: 'agent_turn',
          status: 'pending',
          position: step.position + 1,
          dependsOn: [step.id],
          agentId: params.target.agentId,
          agentVersion: params.target.version,
          input: {
            task: params.message,
            agent: params.target.name,
            handoffFrom: params.from,
            handoffs: params.handoffs,
          },
        },
      ],
    });
    emit('handoff', {
      stepId: step.id,
      nextStepId: next?.id ?? null,
      from: params.from,
      to: { agentId: params.target.agentId, name: params.target.name },
      message: params.message,
    });
  };
}
