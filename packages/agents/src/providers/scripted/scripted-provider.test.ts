import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestToolContext } from '../../tools/testing/create-test-tool-context';
import { createBuiltInTools, createToolRegistry, runTool } from '../../tools/tool-registry';
import { createHandoffTool } from '../../tools/handoff-tool';
import { toToolSpec } from '../../tools/tool-registry';
import type { ToolContext } from '../../tools/types';
import { ProviderError } from '../provider-error';
import type { ChatMessage, ModelProvider, ModelRequest } from '../types';
import { formatAgentRoster, parseAgentRoster } from './agent-roster';
import { createScriptedProvider, SCRIPTED_PROVIDER_LABEL } from './scripted-provider';

const registry = createToolRegistry(createBuiltInTools());
const signal = new AbortController().signal;

// The supervisor plan shape of the runtime contract.
const planSchema = z.object({
  subtasks: z.array(
    z.object({
      id: z.string(),
      agent: z.string(),
      task: z.string(),
      dependsOn: z.array(z.string()),
    }),
  ),
});

function plannerRequest(task: string, agents: string[]): ModelRequest {
  return {
    model: 'scripted',
    signal,
    messages: [
      {
        role: 'system',
        content: [
          'You are the planner. Split the task into subtasks for the agents below.',
          'Answer with JSON: {"subtasks":[{"id","agent","task","dependsOn"}]}.',
          '',
          formatAgentRoster(agents.map((name) => ({ name, description: `The ${name}` }))),
        ].join('\n'),
      },
      { role: 'user', content: task },
    ],
  };
}

/** Runs the model/tool loop the way the engine does, with the real tools. */
async function runAgent(
  provider: ModelProvider,
  task: string,
  toolNames: string[],
  context: ToolContext,
): Promise<{ transcript: ChatMessage[]; answer: string }> {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a helpful agent.' },
    { role: 'user', content: task },
  ];
  for (let turn = 0; turn < 10; turn += 1) {
    const response = await provider.complete({
      model: 'scripted',
      messages,
      tools: registry.specs(toolNames),
      signal,
    });
    messages.push(response.message);
    if (response.finishReason !== 'tool_calls')
      return { transcript: messages, answer: response.message.content };
    for (const call of response.message.toolCalls ?? []) {
      const result = await runTool(registry.getOrThrow(call.name), call.arguments, context);
      messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(result) });
    }
  }
  throw new Error('the scripted model never finished');
}

let context: ToolContext;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ context, cleanup } = await createTestToolContext());
});
afterEach(() => cleanup());

describe('createScriptedProvider', () => {
  const provider = createScriptedProvider();

  it('is clearly labelled as the offline scripted model', () => {
    expect(provider.id).toBe('scripted');
    expect(provider.label).toBe(SCRIPTED_PROVIDER_LABEL);
    expect(SCRIPTED_PROVIDER_LABEL).toBe('Scripted model (offline)');
  });

  it('plans a fan-out and fan-in over the available agents', async () => {
    const response = await provider.complete(
      plannerRequest('Compare three databases', ['researcher', 'analyst', 'writer']),
    );
    const plan = planSchema.parse(JSON.parse(response.message.content));
    expect(plan.subtasks).toEqual([
      expect.objectContaining({ id: 's1', agent: 'researcher', dependsOn: [] }),
      expect.objectContaining({ id: 's2', agent: 'analyst', dependsOn: [] }),
      expect.objectContaining({ id: 's3', agent: 'writer', dependsOn: ['s1', 's2'] }),
    ]);
    expect(plan.subtasks.every((subtask) => subtask.task.includes('Compare three databases'))).toBe(
      true,
    );
    expect(response.finishReason).toBe('stop');
  });

  it('plans a chain for two agents and a single subtask for one', async () => {
    const two = planSchema.parse(
      JSON.parse(
        (await provider.complete(plannerRequest('Write a poem', ['drafter', 'editor']))).message
          .content,
      ),
    );
    expect(two.subtasks.map((subtask) => [subtask.agent, subtask.dependsOn])).toEqual([
      ['drafter', []],
      ['editor', ['s1']],
    ]);
    const one = planSchema.parse(
      JSON.parse((await provider.complete(plannerRequest('Say hi', ['greeter']))).message.content),
    );
    expect(one.subtasks).toEqual([{ id: 's1', agent: 'greeter', task: 'Say hi', dependsOn: [] }]);
  });

  it('calls the calculator for "calculate 2+2", then answers with the result', async () => {
    const first = await provider.complete({
      model: 'scripted',
      signal,
      tools: registry.specs(['calculator']),
      messages: [{ role: 'user', content: 'Please calculate 2+2' }],
    });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.message.toolCalls).toEqual([
      { id: 'call_1', name: 'calculator', arguments: { expression: '2+2' } },
    ]);

    const { answer } = await runAgent(provider, 'Please calculate 2+2', ['calculator'], context);
    expect(answer).toContain('Scripted answer to: Please calculate 2+2');
    expect(answer).toContain('calculator: {"expression":"2+2","result":4}');
  });

  it('writes a file when asked, with the results of earlier tools in it', async () => {
    const { transcript, answer } = await runAgent(
      provider,
      'Calculate (6 * 7) and write a file named answer.md with the result',
      ['calculator', 'write_file', 'current_time'],
      context,
    );
    const calls = transcript.flatMap((message) => message.toolCalls ?? []).map((call) => call.name);
    expect(calls).toEqual(['calculator', 'write_file']);
    const read = await runTool(registry.getOrThrow('read_file'), { path: 'answer.md' }, context);
    expect((read as { content: string }).content).toContain('"result":42');
    expect(answer).toContain('write_file:');
  });

  it('does not call tools the agent does not have, or that the task does not mention', async () => {
    const noTools = await provider.complete({
      model: 'scripted',
      signal,
      messages: [{ role: 'user', content: 'calculate 2+2' }],
    });
    expect(noTools.message.toolCalls).toBeUndefined();
    expect(noTools.finishReason).toBe('stop');

    const unrelated = await provider.complete({
      model: 'scripted',
      signal,
      tools: registry.specs(['calculator', 'http_fetch', 'write_file']),
      messages: [{ role: 'user', content: 'Summarise the meeting notes' }],
    });
    expect(unrelated.message.content).toBe('Scripted answer to: Summarise the meeting notes');
  });

  it('fetches a URL, tells the time and asks a human when the task says so', async () => {
    const reply = (content: string, tools: string[]) =>
      provider.complete({
        model: 'scripted',
        signal,
        tools: registry.specs(tools),
        messages: [{ role: 'user', content }],
      });
    expect(
      (await reply('Read https://example.com/page.', ['http_fetch'])).message.toolCalls?.[0],
    ).toMatchObject({
      name: 'http_fetch',
      arguments: { url: 'https://example.com/page' },
    });
    expect(
      (await reply('What time is it in Paris?', ['current_time'])).message.toolCalls?.[0]?.name,
    ).toBe('current_time');
    expect(
      (await reply('Ask a human before sending', ['ask_human'])).message.toolCalls?.[0],
    ).toMatchObject({
      name: 'ask_human',
      arguments: { question: 'Ask a human before sending' },
    });
  });

  it('hands off to a team member named in the task, without the hand-off phrase', async () => {
    const response = await provider.complete({
      model: 'scripted',
      signal,
      tools: [toToolSpec(createHandoffTool({ agents: ['writer', 'reviewer'] }))],
      messages: [{ role: 'user', content: 'Collect the facts, then hand off to writer.' }],
    });
    expect(response.message.toolCalls).toEqual([
      {
        id: 'call_1',
        name: 'handoff',
        arguments: { agent: 'writer', message: 'Collect the facts' },
      },
    ]);
    const stranger = await provider.complete({
      model: 'scripted',
      signal,
      tools: [toToolSpec(createHandoffTool({ agents: ['writer'] }))],
      messages: [{ role: 'user', content: 'Hand off to mallory' }],
    });
    expect(stranger.message.toolCalls).toBeUndefined();
  });

  it('streams its answer through onDelta and reports usage', async () => {
    const deltas: string[] = [];
    const response = await provider.complete({
      model: 'scripted',
      signal,
      messages: [{ role: 'user', content: 'Tell me about   whitespace' }],
      onDelta: (text) => deltas.push(text),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(response.message.content);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('is deterministic', async () => {
    const request = plannerRequest('Plan a launch', ['a', 'b', 'c', 'd']);
    expect(await provider.complete(request)).toEqual(await provider.complete(request));
  });
});

describe('createScriptedProvider with a script', () => {
  const request: ModelRequest = {
    model: 'scripted',
    signal,
    messages: [{ role: 'user', content: 'hi' }],
  };

  it('plays scripted turns and failures in call order, then derives answers', async () => {
    const provider = createScriptedProvider({
      script: [
        { fail: 'transient' },
        { fail: 'rate_limited', retryAfterMs: 2500 },
        { content: 'exact', usage: { inputTokens: 7, outputTokens: 3 } },
        { toolCalls: [{ name: 'calculator', arguments: { expression: '1+1' } }] },
      ],
    });
    await expect(provider.complete(request)).rejects.toMatchObject({ kind: 'transient' });
    await expect(provider.complete(request)).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 2500,
    });
    expect(await provider.complete(request)).toEqual({
      message: { role: 'assistant', content: 'exact' },
      usage: { inputTokens: 7, outputTokens: 3 },
      finishReason: 'stop',
    });
    const toolTurn = await provider.complete(request);
    expect(toolTurn.finishReason).toBe('tool_calls');
    expect(toolTurn.message.toolCalls).toEqual([
      { id: 'call_4_1', name: 'calculator', arguments: { expression: '1+1' } },
    ]);
    expect((await provider.complete(request)).message.content).toBe('Scripted answer to: hi');
  });

  it('takes a function that picks turns by request', async () => {
    const provider = createScriptedProvider({
      script: (req) =>
        req.messages.at(-1)?.content === 'fail' ? { fail: 'permanent' } : undefined,
    });
    const failed = await provider
      .complete({ ...request, messages: [{ role: 'user', content: 'fail' }] })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ProviderError);
    expect((await provider.complete(request)).message.content).toBe('Scripted answer to: hi');
  });

  it('waits for its latency but stops when the call is aborted', async () => {
    const provider = createScriptedProvider({ latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = provider.complete({ ...request, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    await expect(
      createScriptedProvider().complete({ ...request, signal: controller.signal }),
    ).rejects.toMatchObject({
      kind: 'aborted',
    });
  });
});

describe('agent roster', () => {
  it('reads back the agents it formats', () => {
    const agents = [{ name: 'researcher', description: 'Finds\nfacts' }, { name: 'writer' }];
    expect(parseAgentRoster(`Intro\n\n${formatAgentRoster(agents)}\n\nThe end`)).toEqual([
      { name: 'researcher', description: 'Finds facts' },
      { name: 'writer' },
    ]);
    expect(parseAgentRoster('no roster here')).toEqual([]);
  });
});
