import { setTimeout as sleep } from 'node:timers/promises';
import { estimateMessageTokens, estimateTokens } from '../estimate-tokens';
import { ProviderError, type ProviderErrorKind } from '../provider-error';
import type {
  FinishReason,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelUsage,
  ToolCall,
} from '../types';
import { deriveScriptedReply } from './derive-scripted-reply';

export const SCRIPTED_PROVIDER_LABEL = 'Scripted model (offline)';
/** The model name agents use with the scripted provider (any name works). */
export const SCRIPTED_MODEL = 'scripted';

/** One scripted answer: a reply, or a failure of the given kind. */
export type ScriptedTurn =
  | {
      content?: string;
      toolCalls?: { name: string; arguments: unknown; id?: string }[];
      usage?: Partial<ModelUsage>;
      finishReason?: FinishReason;
      /** Extra latency for this call, ms. */
      delayMs?: number;
    }
  | {
      fail: ProviderErrorKind;
      message?: string;
      /** For `rate_limited`. */
      retryAfterMs?: number;
      delayMs?: number;
    };

/**
 * Exact answers for tests: the n-th call (from 0) gets `script[n]`, or what the function returns
 * for it; calls beyond the list, or for which the function returns undefined, get the derived
 * answer.
 */
export type ScriptedScript =
  | readonly ScriptedTurn[]
  | ((request: ModelRequest, callIndex: number) => ScriptedTurn | undefined);

/** Options for {@link createScriptedProvider}. */
export type ScriptedProviderOptions = {
  /** Latency of every call, ms (0 by default); honours the request's abort signal. */
  latencyMs?: number;
  script?: ScriptedScript;
};

async function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw new ProviderError('aborted', 'scripted', 'The model call was aborted', { cause: error });
  }
}

function streamText(text: string, onDelta: (text: string) => void): void {
  // Word by word, whitespace kept, so that the pieces join back to the exact text.
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) onDelta(piece);
}

/**
 * The offline, deterministic model: plans, tool calls and answers derived from the request
 * (see `deriveScriptedReply`), so the whole flow works with no API key. Zero latency unless
 * configured.
 */
export function createScriptedProvider(options: ScriptedProviderOptions = {}): ModelProvider {
  let calls = 0;
  const scripted = (request: ModelRequest, index: number): ScriptedTurn | undefined => {
    const { script } = options;
    if (!script) return undefined;
    return typeof script === 'function' ? script(request, index) : script[index];
  };

  return {
    id: 'scripted',
    label: SCRIPTED_PROVIDER_LABEL,
    async complete(request: ModelRequest): Promise<ModelResponse> {
      const index = calls;
      calls += 1;
      if (request.signal.aborted) {
        throw new ProviderError('aborted', 'scripted', 'The model call was aborted');
      }
      const turn = scripted(request, index);
      await wait((options.latencyMs ?? 0) + (turn?.delayMs ?? 0), request.signal);
      if (turn && 'fail' in turn) {
        throw new ProviderError(
          turn.fail,
          'scripted',
          turn.message ?? `Scripted ${turn.fail} failure`,
          {
            ...(turn.retryAfterMs === undefined ? {} : { retryAfterMs: turn.retryAfterMs }),
          },
        );
      }
      const derived = turn ? undefined : deriveScriptedReply(request);
      const content = turn?.content ?? derived?.content ?? '';
      const toolCalls: ToolCall[] =
        turn?.toolCalls?.map((call, position) => ({
          id: call.id ?? `call_${index + 1}_${position + 1}`,
          name: call.name,
          arguments: call.arguments,
        })) ??
        derived?.toolCalls ??
        [];
      if (request.onDelta && content) streamText(content, request.onDelta);
      const toolText = toolCalls.map((call) => call.name + JSON.stringify(call.arguments)).join('');
      const specText = JSON.stringify(request.tools ?? []);
      return {
        message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
        usage: {
          inputTokens:
            turn?.usage?.inputTokens ??
            estimateMessageTokens(request.messages) +
              (request.tools ? estimateTokens(specText) : 0),
          outputTokens: turn?.usage?.outputTokens ?? estimateTokens(content + toolText),
        },
        finishReason: turn?.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      };
    },
  };
}
