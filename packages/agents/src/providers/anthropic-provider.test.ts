import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, createAnthropicProvider } from './anthropic-provider';
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
  provider = createAnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: server.url });
});

const MODEL = 'claude-test-model';
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
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is 2+2?' },
    ],
    signal: new AbortController().signal,
    ...overrides,
  };
}

function message(content: unknown[], stopReason: string) {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: 20,
      output_tokens: 6,
      cache_creation_input_tokens: 3,
      cache_read_input_tokens: 2,
    },
  };
}

const apiError = (type: string) => ({ type: 'error', error: { type, message: type } });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('createAnthropicProvider', () => {
  it('sends a Messages API call and maps text, usage (cached tokens included) and stop', async () => {
    server.enqueue((_req, res) =>
      sendJson(res, 200, message([{ type: 'text', text: '4' }], 'end_turn')),
    );
    const response = await provider.complete(request());

    expect(response).toEqual({
      message: { role: 'assistant', content: '4' },
      usage: { inputTokens: 25, outputTokens: 6 },
      finishReason: 'stop',
    });
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    // This SDK generation sends the key as a bearer token.
    expect(sent?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(sent?.headers['anthropic-version']).toBeTruthy();
    expect(sent?.body).toEqual({
      model: MODEL,
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      system: 'You are terse.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] }],
      stream: false,
    });
  });

  it('sends tools and tool results, and maps tool_use blocks to tool calls', async () => {
    server.enqueue((_req, res) =>
      sendJson(
        res,
        200,
        message(
          [
            { type: 'text', text: 'Computing.' },
            { type: 'tool_use', id: 'toolu_2', name: 'calculator', input: { expression: '3*3' } },
          ],
          'tool_use',
        ),
      ),
    );
    const response = await provider.complete(
      request({
        tools: TOOLS,
        maxTokens: 300,
        messages: [
          { role: 'user', content: 'Compute 2+2 and 5+5, then 3*3' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'toolu_1a', name: 'calculator', arguments: { expression: '2+2' } },
              { id: 'toolu_1b', name: 'calculator', arguments: { expression: '5+5' } },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_1a', content: '{"result":4}' },
          { role: 'tool', toolCallId: 'toolu_1b', content: '{"result":10}' },
        ],
      }),
    );

    expect(response.finishReason).toBe('tool_calls');
    expect(response.message).toEqual({
      role: 'assistant',
      content: 'Computing.',
      toolCalls: [{ id: 'toolu_2', name: 'calculator', arguments: { expression: '3*3' } }],
    });
    expect(server.requests[0]?.body).toMatchObject({
      max_tokens: 300,
      tools: [
        {
          name: 'calculator',
          description: 'Evaluates arithmetic',
          input_schema: TOOLS[0]?.parameters,
        },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Compute 2+2 and 5+5, then 3*3' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_1a', name: 'calculator', input: { expression: '2+2' } },
            { type: 'tool_use', id: 'toolu_1b', name: 'calculator', input: { expression: '5+5' } },
          ],
        },
        {
          // Both results answer the same turn, so they travel in one user message.
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1a', content: '{"result":4}' },
            { type: 'tool_result', tool_use_id: 'toolu_1b', content: '{"result":10}' },
          ],
        },
      ],
    });
  });

  it('streams text deltas and assembles tool_use blocks from input_json deltas', async () => {
    server.enqueue((_req, res) =>
      sendSse(res, [
        {
          event: 'message_start',
          data: {
            type: 'message_start',
            message: {
              ...message([], ''),
              stop_reason: null,
              usage: { input_tokens: 40, output_tokens: 1 },
            },
          },
        },
        {
          event: 'content_block_start',
          data: {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'text', text: '' },
          },
        },
        { event: 'ping', data: { type: 'ping' } },
        {
          event: 'content_block_delta',
          data: {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'Let me ' },
          },
        },
        {
          event: 'content_block_delta',
          data: {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'check.' },
          },
        },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
        {
          event: 'content_block_start',
          data: {
            type: 'content_block_start',
            index: 1,
            content_block: { type: 'tool_use', id: 'toolu_s', name: 'calculator', input: {} },
          },
        },
        {
          event: 'content_block_delta',
          data: {
            type: 'content_block_delta',
            index: 1,
            delta: { type: 'input_json_delta', partial_json: '{"expression": "1' },
          },
        },
        {
          event: 'content_block_delta',
          data: {
            type: 'content_block_delta',
            index: 1,
            delta: { type: 'input_json_delta', partial_json: '+1"}' },
          },
        },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
        {
          event: 'message_delta',
          data: {
            type: 'message_delta',
            delta: { stop_reason: 'tool_use', stop_sequence: null },
            usage: { output_tokens: 17 },
          },
        },
        { event: 'message_stop', data: { type: 'message_stop' } },
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
        toolCalls: [{ id: 'toolu_s', name: 'calculator', arguments: { expression: '1+1' } }],
      },
      usage: { inputTokens: 40, outputTokens: 17 },
      finishReason: 'tool_calls',
    });
    expect(server.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('maps max_tokens to finish reason length', async () => {
    server.enqueue((_req, res) =>
      sendJson(res, 200, message([{ type: 'text', text: 'trunc' }], 'max_tokens')),
    );
    expect((await provider.complete(request())).finishReason).toBe('length');
  });

  it('reports a 429 as rate_limited with Retry-After, without retrying on its own', async () => {
    server.enqueue((_req, res) =>
      sendJson(res, 429, apiError('rate_limit_error'), { 'retry-after': '12' }),
    );
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(12_000);
    expect(server.requests).toHaveLength(1);
  });

  it('reports 500 and 529 (overloaded) as transient, without retrying on its own', async () => {
    server.enqueue((_req, res) => sendJson(res, 500, apiError('api_error')));
    expect((await failure(provider.complete(request()))).kind).toBe('transient');
    server.enqueue((_req, res) => sendJson(res, 529, apiError('overloaded_error')));
    expect((await failure(provider.complete(request()))).kind).toBe('transient');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a 400 as permanent', async () => {
    server.enqueue((_req, res) => sendJson(res, 400, apiError('invalid_request_error')));
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('permanent');
    expect(error.status).toBe(400);
  });

  it('reports an error event inside a stream by its type', async () => {
    server.enqueue((_req, res) =>
      sendSse(res, [{ event: 'error', data: apiError('overloaded_error') }]),
    );
    const error = await failure(provider.complete(request({ onDelta: () => undefined })));
    expect(error.kind).toBe('transient');
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
      sendSse(
        res,
        [
          {
            event: 'content_block_delta',
            data: {
              type: 'content_block_delta',
              index: 0,
              delta: { type: 'text_delta', text: 'hi' },
            },
          },
        ],
        { end: false },
      ),
    );
    const controller = new AbortController();
    const pending = provider.complete(
      request({ signal: controller.signal, onDelta: () => controller.abort() }),
    );
    expect((await failure(pending)).kind).toBe('aborted');
  });
});
