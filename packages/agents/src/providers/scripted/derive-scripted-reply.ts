import type { ChatMessage, ModelRequest, ToolCall } from '../types';
import { parseAgentRoster } from './agent-roster';
import { buildScriptedPlan } from './build-scripted-plan';
import { findToolIntents } from './find-tool-intents';

export type ScriptedReply = { content: string; toolCalls: ToolCall[] };

const MAX_ECHO = 500;

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Index of the last user message: the task this turn works on. */
function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index]?.role === 'user') return index;
  }
  return -1;
}

/** Results of the tools called since the task was given, in call order. */
function toolResultsSince(messages: readonly ChatMessage[], start: number) {
  const names = new Map<string, string>();
  const results: { tool: string; result: string }[] = [];
  for (const message of messages.slice(start)) {
    for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
    if (message.role === 'tool') {
      results.push({
        tool: names.get(message.toolCallId ?? '') ?? 'tool',
        result: truncate(message.content, 200),
      });
    }
  }
  return results;
}

/** A planner prompt: a system message that asks for `subtasks` and lists the agents. */
function isPlanRequest(messages: readonly ChatMessage[]): boolean {
  return messages.some(
    (message) =>
      message.role === 'system' &&
      message.content.includes('subtasks') &&
      parseAgentRoster(message.content).length > 0,
  );
}

/**
 * What the scripted model answers, derived only from the request:
 * - a planner prompt (a system message mentioning `subtasks`, with an agent roster made by
 *   `formatAgentRoster`) gets a plan;
 * - a task that mentions a tool the agent has gets calls to those tools, one per turn, in the
 *   order the task mentions them;
 * - then a final answer that repeats the task and the tool results.
 */
export function deriveScriptedReply(request: ModelRequest): ScriptedReply {
  const { messages } = request;
  const taskIndex = lastUserIndex(messages);
  const task = messages[taskIndex]?.content ?? '';

  if (isPlanRequest(messages)) {
    const system = messages.filter((message) => message.role === 'system');
    const roster = parseAgentRoster(system.map((message) => message.content).join('\n'));
    return { content: JSON.stringify(buildScriptedPlan(task, roster)), toolCalls: [] };
  }

  const results = toolResultsSince(messages, Math.max(taskIndex, 0));
  const intents = findToolIntents(task, request.tools ?? []);
  const next = intents[results.length];
  if (next) {
    const callsSoFar = messages.reduce((sum, message) => sum + (message.toolCalls?.length ?? 0), 0);
    return {
      content: '',
      toolCalls: [
        { id: `call_${callsSoFar + 1}`, name: next.tool, arguments: next.buildArguments(results) },
      ],
    };
  }

  const lines = [`Scripted answer to: ${truncate(task, MAX_ECHO)}`];
  for (const entry of results) lines.push(`- ${entry.tool}: ${entry.result}`);
  return { content: lines.join('\n'), toolCalls: [] };
}
