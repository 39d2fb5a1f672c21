import type { AgentVersion } from '@switchyard/database';
import type { ChatMessage } from '../providers';
import { toToolSpec } from '../tools/tool-registry';
import type { Tool } from '../tools/types';
import { callModel, type DeferredModelCall } from './call-model';
import {
  EMPTY_USAGE,
  finalAnswer,
  pendingToolCalls,
  readCheckpoint,
  type ConversationCheckpoint,
} from './conversation-checkpoint';
import { runToolCall } from './run-tool-call';
import type { StepContext } from './step-context';
import { PermanentStepError } from './step-errors';
import { readHandoff, type HandoffRequest } from './strategies/read-handoff';

export type ConversationSpec = {
  /** The pinned agent version doing the work. */
  agent: AgentVersion;
  tools: ReadonlyMap<string, Tool>;
  /** The opening messages, used when the step has no checkpoint yet. */
  buildMessages: () => Promise<ChatMessage[]>;
  /**
   * Leave the last model call (the final answer) unstored, as `finalCall` of the answer: the
   * caller stores it with the step's completion, or before failing the step.
   */
  deferFinalCall?: boolean;
};

export type ConversationResult =
  | {
      kind: 'answer';
      text: string;
      checkpoint: ConversationCheckpoint;
      /** With `deferFinalCall`: the model call that gave the answer, not stored yet. */
      finalCall?: DeferredModelCall;
    }
  | { kind: 'handoff'; handoff: HandoffRequest; checkpoint: ConversationCheckpoint }
  | { kind: 'parked' };

/**
 * The agent loop of one step, resumable: from the step's checkpoint (or the opening messages),
 * answer pending tool calls, else call the model, until the model answers without calling a
 * tool, hands off, or a tool parks the step for approval. Every model and tool call is
 * checkpointed, so a retry continues where the last attempt stopped.
 */
export async function runConversation(
  context: StepContext,
  spec: ConversationSpec,
): Promise<ConversationResult> {
  let checkpoint: ConversationCheckpoint = readCheckpoint(context.step.checkpoint) ?? {
    messages: await spec.buildMessages(),
    modelCalls: 0,
    usage: EMPTY_USAGE,
  };
  const toolSpecs = [...spec.tools.values()].map(toToolSpec);
  for (;;) {
    context.signal.throwIfAborted();
    for (const { call, messageIndex } of pendingToolCalls(checkpoint.messages)) {
      const outcome = await runToolCall(context, {
        tools: spec.tools,
        checkpoint,
        call,
        messageIndex,
      });
      if (outcome.kind === 'parked') return { kind: 'parked' };
      checkpoint = outcome.checkpoint;
    }
    const handoff = readHandoff(checkpoint.messages);
    if (handoff) return { kind: 'handoff', handoff, checkpoint };
    const answer = finalAnswer(checkpoint.messages);
    if (answer !== null) return { kind: 'answer', text: answer, checkpoint };
    if (checkpoint.modelCalls >= spec.agent.maxSteps) {
      throw new PermanentStepError({
        code: 'max_steps_exceeded',
        message: `The agent made ${checkpoint.modelCalls} model calls without a final answer (its limit).`,
      });
    }
    const called = await callModel(context, {
      agent: spec.agent,
      tools: toolSpecs,
      checkpoint,
      deferFinal: spec.deferFinalCall ?? false,
    });
    checkpoint = called.checkpoint;
    if (called.deferred) {
      return {
        kind: 'answer',
        text: finalAnswer(checkpoint.messages) ?? '',
        checkpoint,
        finalCall: called.deferred,
      };
    }
  }
}
