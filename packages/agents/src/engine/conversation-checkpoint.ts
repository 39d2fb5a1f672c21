import type { StepUsage } from '@switchyard/database';
import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../providers';

/** What an executing step checkpoints after every model call and tool call. */
export type ConversationCheckpoint = {
  messages: ChatMessage[];
  /** Model calls made by this step so far (its agent's `maxSteps` limits them). */
  modelCalls: number;
  usage: StepUsage;
};

const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.unknown() });
const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(toolCallSchema).optional(),
  toolCallId: z.string().optional(),
});
const checkpointSchema = z.object({
  messages: z.array(messageSchema),
  modelCalls: z.number().int().min(0),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    costMicros: z.number(),
  }),
});

export const EMPTY_USAGE: StepUsage = { inputTokens: 0, outputTokens: 0, costMicros: 0 };

/** The stored checkpoint, or null when there is none (or it is not a conversation). */
export function readCheckpoint(value: unknown): ConversationCheckpoint | null {
  if (value === null || value === undefined) return null;
  const parsed = checkpointSchema.safeParse(value);
  return parsed.success ? (parsed.data as ConversationCheckpoint) : null;
}

/** The tool calls of the last assistant message that have no result yet, in order. */
export function pendingToolCalls(
  messages: readonly ChatMessage[],
): { call: ToolCall; messageIndex: number }[] {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role !== 'assistant') continue;
    const answered = new Set(
      messages
        .slice(index + 1)
        .filter((later) => later.role === 'tool')
        .map((later) => later.toolCallId),
    );
    return (message.toolCalls ?? [])
      .filter((call) => !answered.has(call.id))
      .map((call) => ({ call, messageIndex: index }));
  }
  return [];
}

/** The final answer: the last message, when it is the assistant's and calls no tool. */
export function finalAnswer(messages: readonly ChatMessage[]): string | null {
  const last = messages.at(-1);
  if (last?.role !== 'assistant' || (last.toolCalls?.length ?? 0) > 0) return null;
  return last.content;
}

export function addUsage(a: StepUsage, b: StepUsage): StepUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costMicros: a.costMicros + b.costMicros,
  };
}
