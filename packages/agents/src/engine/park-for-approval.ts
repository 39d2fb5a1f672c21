import { insertStepOnce, updateRun, updateStep } from '@switchyard/database';
import type { ToolCall } from '../providers';
import type { Tool } from '../tools/types';
import type { ConversationCheckpoint } from './conversation-checkpoint';
import { changeClaimedStep, type StepContext } from './step-context';

/** The idempotency key of the approval of the tool call with idempotency key `key`. */
export function approvalKey(key: string): string {
  return `approval:${key}`;
}

/**
 * Parks the step until a person decides on a tool call: the step waits (holding no worker and no
 * attempt), an approval step records what the tool would do, and the run waits for approval.
 */
export async function parkForApproval(
  context: StepContext,
  params: { checkpoint: ConversationCheckpoint; call: ToolCall; messageIndex: number },
  key: string,
  tool: Tool,
  args: unknown,
): Promise<void> {
  await changeClaimedStep(
    context,
    {
      status: 'waiting_for_approval',
      // Waiting for a person is not a failed attempt: resuming must not run out of attempts.
      attempt: Math.max(context.step.attempt - 1, 0),
      checkpoint: params.checkpoint,
      claimToken: null,
      claimedBy: null,
      leaseExpiresAt: null,
    },
    async ({ tx, run, emit, step: parent }) => {
      const approval = await insertStepOnce(tx, {
        step: {
          runId: parent.runId,
          orgId: parent.orgId,
          kind: 'approval',
          parentStepId: parent.id,
          status: 'waiting_for_approval',
          position: params.messageIndex,
          agentId: parent.agentId,
          agentVersion: parent.agentVersion,
          input: {
            tool: tool.name,
            description: tool.description,
            arguments: args ?? null,
            toolCallId: params.call.id,
          },
          idempotencyKey: approvalKey(key),
          startedAt: new Date(),
        },
      });
      if (approval.status === 'cancelled') {
        await updateStep(tx, {
          orgId: approval.orgId,
          stepId: approval.id,
          statuses: ['cancelled'],
          values: { status: 'waiting_for_approval', finishedAt: null },
        });
      }
      if (run.status !== 'waiting_for_approval') {
        await updateRun(tx, {
          orgId: run.orgId,
          runId: run.id,
          statuses: ['queued', 'running'],
          values: { status: 'waiting_for_approval' },
        });
        emit('run.waiting_for_approval', { status: 'waiting_for_approval', stepId: approval.id });
      }
      emit('step.waiting_for_approval', { stepId: parent.id, approvalStepId: approval.id });
      emit('approval.requested', {
        stepId: approval.id,
        parentStepId: parent.id,
        tool: tool.name,
        arguments: args ?? null,
      });
    },
  );
}
