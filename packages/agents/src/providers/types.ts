/** A JSON Schema document (as produced by zod's `z.toJSONSchema`). */
export type JsonSchema = { [key: string]: unknown };

export type ToolCall = {
  /** Provider-assigned id; a tool result answers it through `toolCallId`. */
  id: string;
  name: string;
  /** Parsed JSON arguments; the raw text when the model produced invalid JSON. */
  arguments: unknown;
};

export type ChatMessage = {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant messages: the tools the model asked to call. */
  toolCalls?: ToolCall[];
  /** Tool messages: the call this message is the result of. */
  toolCallId?: string;
};

/** A tool as the model sees it. */
export type ToolSpec = { name: string; description: string; parameters: JsonSchema };

export type ModelRequest = {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxTokens?: number;
  /** Aborting it ends the call with a `ProviderError` of kind `aborted`. */
  signal: AbortSignal;
  /** Called with each piece of answer text as it streams in; requests streaming. */
  onDelta?: (text: string) => void;
};

export type ModelUsage = { inputTokens: number; outputTokens: number };

export type FinishReason = 'stop' | 'tool_calls' | 'length';

export type ModelResponse = {
  /** The assistant message (text and/or tool calls). */
  message: ChatMessage;
  usage: ModelUsage;
  finishReason: FinishReason;
};

/** One model backend (an SDK client with its settings), chosen by `createProvider`. */
export interface ModelProvider {
  /** The provider id (see `PROVIDER_IDS`). */
  readonly id: ProviderId;
  /** Human-readable name for the UI, e.g. "Scripted model (offline)". */
  readonly label: string;
  /** One model call. Throws `ProviderError` on failure. */
  complete(request: ModelRequest): Promise<ModelResponse>;
}

export const PROVIDER_IDS = ['openai', 'openai-compatible', 'anthropic', 'scripted'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
