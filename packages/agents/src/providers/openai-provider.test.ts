import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiProvider } from './openai-provider';
import { ProviderError } from './provider-error';
import {
  sendJson,
  sendSse,
  startFakeModelServer,
  type FakeModelServer,
} from './testing/fake-model-server';
import type { ModelProvider, ModelRequest } from './types';

let server: FakeModelServer;
let provider: ModelProvider;

beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  provider = createOpenAiProvider({
    id: 'openai-compatible',
    apiKey: 'sk-test-key',
    baseUrl: `${server.url}/v1`,
  });
});

const TOOLS = [
  {
    name: 'calculator',
    description: 'Evaluates arithmetic',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string' } },
      required: ['expression'],
    },
  },
];

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is 2+2?' },
    ],
    signal: new AbortController().signal,
    ...overrides,
  };
}

function completion(message: Record<string, unknown>, finishReason: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason },
    ],
    usage: { prompt_tokens: 21, completion_tokens: 5, total_tokens: 26 },
  };
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('createOpenAiProvider', () => {
  it('sends a chat completion and maps the answer and usage', async () => {
    server.enqueue((_req, res) => sendJson(res, 200, completion({ content: '4' }, 'stop')));
    const response = await provider.complete(request({ temperature: 0.2, maxTokens: 50 }));

    expect(response).toEqual({
      message: { role: 'assistant', content: '4' },
      usage: { inputTokens: 21, outputTokens: 5 },
      finishReason: 'stop',
    });
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test-key');
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      // Compatible servers get the widely supported max_tokens.
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What is 2+2?' },
      ],
    });
    expect(sent?.body).not.toHaveProperty('stream', true);
  });

  it('sends tools and past tool calls, and parses the tool calls it gets back', async () => {
    server.enqueue((_req, res) =>
      sendJson(
        res,
        200,
        completion(
          {
            content: null,
            tool_calls: [
              {
                id: 'call_9',
                type: 'function',
                function: { name: 'calculator', arguments: '{"expression":"3*3"}' },
              },
            ],
          },
          'tool_calls',
        ),
      ),
    );
    const response = await provider.complete(
      request({
        tools: TOOLS,
        messages: [
          { role: 'user', content: 'Compute 2+2 then 3*3' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'calculator', arguments: { expression: '2+2' } }],
          },
          { role: 'tool', toolCallId: 'call_1', content: '{"result":4}' },
        ],
      }),
    );

    expect(response.finishReason).toBe('tool_calls');
    expect(response.message).toEqual({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'call_9', name: 'calculator', arguments: { expression: '3*3' } }],
    });
    expect(server.requests[0]?.body).toMatchObject({
      tools: [{ type: 'function', function: TOOLS[0] }],
      messages: [
        { role: 'user', content: 'Compute 2+2 then 3*3' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'calculator', arguments: '{"expression":"2+2"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"result":4}' },
      ],
    });
  });

  it('streams text deltas and assembles streamed tool calls and usage', async () => {
    server.enqueue((_req, res) =>
      sendSse(res, [
        { data: chunk({ role: 'assistant', content: 'Let me ' }) },
        { data: chunk({ content: 'check.' }) },
        {
          data: chunk({
            tool_calls: [
              {
                index: 0,
                id: 'call_a',
                type: 'function',
                function: { name: 'calc', arguments: '' },
              },
            ],
          }),
        },
        {
          data: chunk({
            tool_calls: [{ index: 0, function: { name: 'ulator', arguments: '{"expre' } }],
          }),
        },
        {
          data: chunk({
            tool_calls: [
              {
                index: 1,
                id: 'call_b',
                type: 'function',
                function: { name: 'current_time', arguments: '{}' },
              },
            ],
          }),
        },
        { data: chunk({ tool_calls: [{ index: 0, function: { arguments: 'ssion":"1+1"}' } }] }) },
        { data: chunk({}, 'tool_calls') },
        {
          data: {
            ...chunk({}),
            choices: [],
            usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
          },
        },
        { data: '[DONE]' },
      ]),
    );
    const deltas: string[] = [];
    const response = await provider.complete(
      request({ tools: TOOLS, onDelta: (text) => deltas.push(text) }),
    );

    expect(deltas).toEqual(['Let me ', 'check.']);
    expect(response).toEqual({
      message: {
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [
          { id: 'call_a', name: 'calculator', arguments: { expression: '1+1' } },
          { id: 'call_b', name: 'current_time', arguments: {} },
        ],
      },
      usage: { inputTokens: 30, outputTokens: 12 },
      finishReason: 'tool_calls',
    });
    expect(server.requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('reports a 429 as rate_limited with Retry-After, without retrying on its own', async () => {
    server.enqueue((_req, res) =>
      sendJson(
        res,
        429,
        { error: { message: 'slow down', type: 'rate_limit' } },
        { 'retry-after': '7' },
      ),
    );
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it('prefers retry-after-ms when the server sends it', async () => {
    server.enqueue((_req, res) =>
      sendJson(
        res,
        429,
        { error: { message: 'slow down' } },
        { 'retry-after-ms': '1500', 'retry-after': '2' },
      ),
    );
    const error = await failure(provider.complete(request()));
    expect(error.retryAfterMs).toBe(1500);
  });

  it('reports a 500 as transient, without retrying on its own', async () => {
    server.enqueue((_req, res) => sendJson(res, 500, { error: { message: 'boom' } }));
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('transient');
    expect(error.isRetryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a 400 as permanent', async () => {
    server.enqueue((_req, res) => sendJson(res, 400, { error: { message: 'bad model' } }));
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('permanent');
    expect(error.isRetryable).toBe(false);
  });

  it('aborts a call waiting for the server', async () => {
    server.enqueue(() => undefined);
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const pending = provider.complete(request({ signal: controller.signal }));
    await arrived;
    controller.abort();
    expect((await failure(pending)).kind).toBe('aborted');
  });

  it('aborts a call in the middle of its stream', async () => {
    server.enqueue((_req, res) =>
      sendSse(res, [{ data: chunk({ content: 'partial' }) }], { end: false }),
    );
    const controller = new AbortController();
    const pending = provider.complete(
      request({ signal: controller.signal, onDelta: () => controller.abort() }),
    );
    expect((await failure(pending)).kind).toBe('aborted');
  });

  it('refuses to start a call whose signal already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(provider.complete(request({ signal: controller.signal })))).kind).toBe(
      'aborted',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports an unreachable server as transient', async () => {
    const closed = await startFakeModelServer();
    await closed.close();
    const unreachable = createOpenAiProvider({
      id: 'openai-compatible',
      baseUrl: `${closed.url}/v1`,
    });
    expect((await failure(unreachable.complete(request()))).kind).toBe('transient');
  });

  it('estimates usage when a compatible server reports none', async () => {
    server.enqueue((_req, res) => {
      const { usage: _usage, ...body } = completion({ content: 'four' }, 'stop');
      sendJson(res, 200, body);
    });
    const keyless = createOpenAiProvider({ id: 'openai-compatible', baseUrl: `${server.url}/v1` });
    const response = await keyless.complete(request());
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    expect(keyless.label).toBe(`OpenAI-compatible (${new URL(server.url).host})`);
  });

  it('sends max_completion_tokens when it talks to OpenAI itself', async () => {
    server.enqueue((_req, res) => sendJson(res, 200, completion({ content: 'ok' }, 'stop')));
    const openai = createOpenAiProvider({ apiKey: 'k', baseUrl: `${server.url}/v1` });
    await openai.complete(request({ maxTokens: 10 }));
    expect(openai.id).toBe('openai');
    expect(openai.label).toBe('OpenAI');
    expect(server.requests[0]?.body).toHaveProperty('max_completion_tokens', 10);
    expect(server.requests[0]?.body).not.toHaveProperty('max_tokens');
  });
});
