import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
  RawMessageStreamEvent,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import { mapSdkError } from './map-sdk-error';
import { parseToolArguments } from './parse-tool-arguments';
import type {
  ChatMessage,
  FinishReason,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelUsage,
  ToolCall,
} from './types';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Anthropic requires an output limit on every call. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Options for {@link createAnthropicProvider}. */
export type AnthropicProviderOptions = {
  apiKey: string;
  /** Defaults to Anthropic's API. */
  baseUrl?: string;
  /** Per-call time limit, ms (default 120 000); a timeout is a transient error. */
  timeoutMs?: number;
};

const SDK_ERRORS = {
  APIError: Anthropic.APIError,
  APIUserAbortError: Anthropic.APIUserAbortError,
  APIConnectionError: Anthropic.APIConnectionError,
};

// Anthropic refuses empty text blocks.
const textBlock = (text: string): ContentBlockParam => ({ type: 'text', text: text || '(empty)' });

function toolInput(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  return { value };
}

/** Anthropic takes the system prompt apart, tool results as user turns, and alternating roles. */
function toWire(messages: ChatMessage[]): { system: string; messages: MessageParam[] } {
  const system: string[] = [];
  const wire: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = wire.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else wire.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
    } else if (message.role === 'user') {
      push('user', [textBlock(message.content)]);
    } else if (message.role === 'tool') {
      push('user', [
        { type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: message.content },
      ]);
    } else {
      const blocks: ContentBlockParam[] = message.content ? [textBlock(message.content)] : [];
      for (const call of message.toolCalls ?? []) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: toolInput(call.arguments),
        });
      }
      push('assistant', blocks.length > 0 ? blocks : [textBlock('')]);
    }
  }
  return { system: system.join('\n\n'), messages: wire };
}

function finishReasonOf(reason: string | null | undefined): FinishReason {
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  return 'stop';
}

type UsageLike = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
};

// Cached prompt tokens are still input tokens for budgets.
const inputTokensOf = (usage: UsageLike) =>
  (usage.input_tokens ?? 0) +
  (usage.cache_creation_input_tokens ?? 0) +
  (usage.cache_read_input_tokens ?? 0);

function fromMessage(response: Message): ModelResponse {
  let content = '';
  const toolCalls: ToolCall[] = [];
  for (const block of response.content) {
    if (block.type === 'text') content += block.text;
    if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, name: block.name, arguments: block.input });
    }
  }
  return {
    message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
    usage: {
      inputTokens: inputTokensOf(response.usage),
      outputTokens: response.usage.output_tokens,
    },
    finishReason: toolCalls.length > 0 ? 'tool_calls' : finishReasonOf(response.stop_reason),
  };
}

type PartialToolUse = { id: string; name: string; json: string };

async function fromStream(
  stream: AsyncIterable<RawMessageStreamEvent>,
  request: ModelRequest,
): Promise<ModelResponse> {
  let content = '';
  let stopReason: string | null | undefined;
  const usage: ModelUsage = { inputTokens: 0, outputTokens: 0 };
  const toolUses = new Map<number, PartialToolUse>();
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        usage.inputTokens = inputTokensOf(event.message.usage);
        usage.outputTokens = event.message.usage.output_tokens;
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          toolUses.set(event.index, {
            id: event.content_block.id,
            name: event.content_block.name,
            json: '',
          });
        } else if (event.content_block.type === 'text' && event.content_block.text) {
          content += event.content_block.text;
          request.onDelta?.(event.content_block.text);
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          content += event.delta.text;
          request.onDelta?.(event.delta.text);
        } else if (event.delta.type === 'input_json_delta') {
          const toolUse = toolUses.get(event.index);
          if (toolUse) toolUse.json += event.delta.partial_json;
        }
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        // message_delta usage is cumulative.
        usage.outputTokens = event.usage.output_tokens;
        if (event.usage.input_tokens != null) usage.inputTokens = inputTokensOf(event.usage);
        break;
      default:
        break;
    }
  }
  // The SDK ends a stream quietly when it is aborted; the caller must still see the abort.
  request.signal.throwIfAborted();
  const toolCalls = [...toolUses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, toolUse]) => ({
      id: toolUse.id,
      name: toolUse.name,
      arguments: parseToolArguments(toolUse.json),
    }));
  return {
    message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
    usage,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : finishReasonOf(stopReason),
  };
}

/**
 * A {@link ModelProvider} over the official `@anthropic-ai/sdk` (Messages API). The SDK's own
 * retries are off: the engine owns retries and backoff. `temperature` is not sent: current
 * Anthropic models no longer take it.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    // Explicit so that ANTHROPIC_* variables in the environment never change a call.
    authToken: null,
    baseURL: options.baseUrl ?? ANTHROPIC_BASE_URL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });

  return {
    id: 'anthropic',
    label: 'Anthropic',
    async complete(request: ModelRequest): Promise<ModelResponse> {
      const { system, messages } = toWire(request.messages);
      const tools: Tool[] = (request.tools ?? []).map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: { ...tool.parameters, type: 'object' },
      }));
      const params: MessageCreateParamsBase = {
        model: request.model,
        max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        messages,
        ...(system ? { system } : {}),
        ...(tools.length > 0 ? { tools } : {}),
      };
      try {
        request.signal.throwIfAborted();
        if (request.onDelta) {
          const stream = await client.messages.create(
            { ...params, stream: true },
            { signal: request.signal },
          );
          return await fromStream(stream, request);
        }
        const response = await client.messages.create(
          { ...params, stream: false },
          { signal: request.signal },
        );
        return fromMessage(response);
      } catch (error) {
        throw mapSdkError('anthropic', error, request.signal, SDK_ERRORS);
      }
    },
  };
}
