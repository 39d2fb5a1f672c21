import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { estimateMessageTokens } from './estimate-tokens';
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

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Options for {@link createOpenAiProvider}. */
export type OpenAiProviderOptions = {
  /** `openai` for OpenAI itself; `openai-compatible` for Ollama, vLLM, llama.cpp and the like. */
  id?: 'openai' | 'openai-compatible';
  /** Required by OpenAI; local servers usually ignore it. */
  apiKey?: string;
  /** Defaults to OpenAI's API; e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseUrl?: string;
  /** Per-call time limit, ms (default 120 000); a timeout is a transient error. */
  timeoutMs?: number;
  /** Shown in the UI; defaults to "OpenAI" or "OpenAI-compatible (<host>)". */
  label?: string;
};

const SDK_ERRORS = {
  APIError: OpenAI.APIError,
  APIUserAbortError: OpenAI.APIUserAbortError,
  APIConnectionError: OpenAI.APIConnectionError,
};

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        content: message.content === '' && toolCalls.length > 0 ? null : message.content,
        ...(toolCalls.length > 0
          ? {
              tool_calls: toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: {
                  name: call.name,
                  arguments:
                    typeof call.arguments === 'string'
                      ? call.arguments
                      : JSON.stringify(call.arguments ?? {}),
                },
              })),
            }
          : {}),
      };
    }
  }
}

function finishReasonOf(reason: string | null | undefined, toolCalls: ToolCall[]): FinishReason {
  if (toolCalls.length > 0 || reason === 'tool_calls' || reason === 'function_call') {
    return 'tool_calls';
  }
  return reason === 'length' ? 'length' : 'stop';
}

function usageOf(
  usage: { prompt_tokens: number; completion_tokens: number } | null | undefined,
  request: ModelRequest,
  message: ChatMessage,
): ModelUsage {
  if (usage) return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  // Some OpenAI-compatible servers report no usage; estimate rather than count nothing.
  return {
    inputTokens: estimateMessageTokens(request.messages),
    outputTokens: estimateMessageTokens([message]),
  };
}

function fromCompletion(completion: ChatCompletion, request: ModelRequest): ModelResponse {
  const choice = completion.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type === 'function') {
      toolCalls.push({
        id: call.id,
        name: call.function.name,
        arguments: parseToolArguments(call.function.arguments),
      });
    }
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: choice?.message.content ?? '',
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
  return {
    message,
    usage: usageOf(completion.usage, request, message),
    finishReason: finishReasonOf(choice?.finish_reason, toolCalls),
  };
}

type PartialToolCall = { id: string; name: string; arguments: string };

async function fromStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  request: ModelRequest,
): Promise<ModelResponse> {
  let content = '';
  let finish: string | null | undefined;
  let usage: ChatCompletionChunk['usage'];
  const partials = new Map<number, PartialToolCall>();
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.finish_reason) finish = choice.finish_reason;
    const text = choice.delta.content;
    if (text) {
      content += text;
      request.onDelta?.(text);
    }
    for (const delta of choice.delta.tool_calls ?? []) {
      const partial = partials.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) partial.id = delta.id;
      if (delta.function?.name) partial.name += delta.function.name;
      if (delta.function?.arguments) partial.arguments += delta.function.arguments;
      partials.set(delta.index, partial);
    }
  }
  // The SDK ends a stream quietly when it is aborted; the caller must still see the abort.
  request.signal.throwIfAborted();
  const toolCalls = [...partials.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, partial]) => ({
      id: partial.id || `call_${index}`,
      name: partial.name,
      arguments: parseToolArguments(partial.arguments),
    }));
  const message: ChatMessage = {
    role: 'assistant',
    content,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
  return {
    message,
    usage: usageOf(usage, request, message),
    finishReason: finishReasonOf(finish, toolCalls),
  };
}

/**
 * A {@link ModelProvider} over the official `openai` SDK: OpenAI's chat completions API, or any
 * server that speaks it. The SDK's own retries are off: the engine owns retries and backoff.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions = {}): ModelProvider {
  const id = options.id ?? 'openai';
  const baseURL = options.baseUrl ?? OPENAI_BASE_URL;
  const client = new OpenAI({
    // Local servers need no key, but the SDK refuses to start without one.
    apiKey: options.apiKey ?? 'no-key',
    // Explicit so that OPENAI_* variables in the environment never change a call.
    organization: null,
    project: null,
    baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });
  const label =
    options.label ?? (id === 'openai' ? 'OpenAI' : `OpenAI-compatible (${new URL(baseURL).host})`);

  return {
    id,
    label,
    async complete(request: ModelRequest): Promise<ModelResponse> {
      const tools: ChatCompletionTool[] = (request.tools ?? []).map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      }));
      const params: ChatCompletionCreateParamsBase = {
        model: request.model,
        messages: request.messages.map(toWireMessage),
        ...(tools.length > 0 ? { tools } : {}),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        // OpenAI deprecated max_tokens (its reasoning models refuse it); most compatible
        // servers only know max_tokens.
        ...(request.maxTokens === undefined
          ? {}
          : id === 'openai'
            ? { max_completion_tokens: request.maxTokens }
            : { max_tokens: request.maxTokens }),
      };
      try {
        request.signal.throwIfAborted();
        if (request.onDelta) {
          const stream = await client.chat.completions.create(
            { ...params, stream: true, stream_options: { include_usage: true } },
            { signal: request.signal },
          );
          return await fromStream(stream, request);
        }
        const completion = await client.chat.completions.create(
          { ...params, stream: false },
          { signal: request.signal },
        );
        return fromCompletion(completion, request);
      } catch (error) {
        throw mapSdkError(id, error, request.signal, SDK_ERRORS);
      }
    },
  };
}
