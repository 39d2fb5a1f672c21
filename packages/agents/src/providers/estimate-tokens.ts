import type { ChatMessage } from './types';

/**
 * A rough token count (about four characters per token) for budgets and for servers that
 * report no usage. Never used where a provider reports real numbers.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** {@link estimateTokens} over a conversation, counting tool calls and a small per-message cost. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += 4 + estimateTokens(message.content);
    for (const call of message.toolCalls ?? []) {
      total += estimateTokens(call.name) + estimateTokens(JSON.stringify(call.arguments) ?? '');
    }
  }
  return total;
}
