import { z } from 'zod';
import type { ChatMessage } from '../../providers';

export const HANDOFF_TOOL_NAME = 'handoff';

/** What an agent asked for when it called the handoff tool. */
export type HandoffRequest = { agent: string; message: string };

// The result of the `handoff` tool (`HandoffResult`).
const handoffResultSchema = z.object({ handoffTo: z.string(), message: z.string() });

/**
 * The hand-off a conversation ended with: the last assistant message called the handoff tool,
 * every call of that message has been answered, and the handoff succeeded.
 */
export function readHandoff(messages: readonly ChatMessage[]): HandoffRequest | null {
  const index = messages.findLastIndex((message) => message.role === 'assistant');
  const assistant = messages[index];
  const call = assistant?.toolCalls?.find((entry) => entry.name === HANDOFF_TOOL_NAME);
  if (!assistant || !call) return null;
  const results = messages.slice(index + 1).filter((message) => message.role === 'tool');
  if (results.length < (assistant.toolCalls?.length ?? 0)) return null;
  const result = results.find((message) => message.toolCallId === call.id);
  if (!result) return null;
  try {
    const parsed = handoffResultSchema.safeParse(JSON.parse(result.content));
    return parsed.success ? { agent: parsed.data.handoffTo, message: parsed.data.message } : null;
  } catch {
    return null;
  }
}
