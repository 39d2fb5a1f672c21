import { randomUUID } from 'node:crypto';
import {
  getStepByIdempotencyKey,
  insertStepOnce,
  updateStep,
  type InsertStepParams,
  type RunError,
  type Step,
} from '@switchyard/database';
import type { ToolCall } from '../providers';
import type { ConversationCheckpoint } from './conversation-checkpoint';
import { changeClaimedStep, type StepContext } from './step-context';

/*
 * A side-effecting tool call writes its `tool_call` step as `running` (the intent) before the
 * effect and settles it with the result. A worker that dies in between leaves the intent
 * running; the retry then knows the effect may have happened and does not repeat it.
 */

/** One tool call of a step. */
export type ToolCallRef = {
  call: ToolCall;
  /** Index of the assistant message that made the call: part of the idempotency key. */
  messageIndex: number;
  /** The conversation before the call's result. */
  checkpoint: ConversationCheckpoint;
  /** The call's idempotency key (`<stepId>:<messageIndex>:<callId>`). */
  key: string;
  startedAt: Date;
};

/** The `tool_call` step of a call, as `runToolCall` records it (`running` while it is an intent). */
export function toolCallStep(
  parent: Step,
  call: ToolCallRef,
  args: unknown,
): InsertStepParams & { idempotencyKey: string } {
  return {
    runId: parent.runId,
    orgId: parent.orgId,
    kind: 'tool_call',
    parentStepId: parent.id,
    status: 'running',
    position: call.messageIndex,
    agentId: parent.agentId,
    agentVersion: parent.agentVersion,
    input: { tool: call.call.name, arguments: args ?? null, toolCallId: call.call.id },
    idempotencyKey: `tool:${call.key}`,
    attempt: 1,
    startedAt: call.startedAt,
  };
}

/**
 * Writes the call's `tool_call` step as `running` before a side effect: the intent. Resolves
 * false when an earlier execution already wrote it and never settled it.
 */
export async function recordToolIntent(
  context: StepContext,
  call: ToolCallRef,
  args: unknown,
): Promise<boolean> {
  const id = randomUUID();
  const { value } = await changeClaimedStep(
    context,
    { checkpoint: call.checkpoint },
    async ({ tx, step: parent }) => {
      const intent = await insertStepOnce(tx, {
        step: { ...toolCallStep(parent, call, args), id },
      });
      if (intent.id === id) return true;
      // Withdrawn by an execution that failed without effect: this one may try again.
      const retried = await updateStep(tx, {
        orgId: parent.orgId,
        stepId: intent.id,
        statuses: ['failed'],
        values: { status: 'running', error: null, finishedAt: null, startedAt: call.startedAt },
      });
      return retried !== null;
    },
  );
  return value === true;
}

/** Marks an intent as not acted on: the tool failed without effect and the step will retry. */
export async function withdrawToolIntent(
  context: StepContext,
  call: Pick<ToolCallRef, 'checkpoint' | 'key'>,
  error: RunError,
): Promise<void> {
  await changeClaimedStep(
    context,
    { checkpoint: call.checkpoint },
    async ({ tx, step: parent }) => {
      const intent = await getStepByIdempotencyKey(tx, {
        orgId: parent.orgId,
        idempotencyKey: `tool:${call.key}`,
      });
      if (!intent) return;
      await updateStep(tx, {
        orgId: parent.orgId,
        stepId: intent.id,
        statuses: ['running'],
        values: { status: 'failed', error, finishedAt: new Date() },
      });
    },
  );
}
