import { describe, expect, it } from 'vitest';
import { calculatorTool } from './calculator-tool';
import { createHandoffTool } from './handoff-tool';
import { createTestToolContext } from './testing/create-test-tool-context';
import {
  BUILT_IN_TOOL_NAMES,
  createBuiltInTools,
  createToolRegistry,
  runTool,
  toToolSpec,
} from './tool-registry';

describe('toToolSpec', () => {
  it('describes the arguments with JSON Schema generated from the zod schema', () => {
    expect(toToolSpec(calculatorTool)).toEqual({
      name: 'calculator',
      description: calculatorTool.description,
      parameters: {
        type: 'object',
        properties: {
          expression: {
            type: 'string',
            minLength: 1,
            maxLength: 1000,
            description: expect.stringContaining('Arithmetic') as unknown,
          },
        },
        required: ['expression'],
      },
    });
  });

  it('lists the allowed agents of a restricted handoff as an enum', () => {
    const spec = toToolSpec(createHandoffTool({ agents: ['writer', 'reviewer'] }));
    expect(spec.parameters).toMatchObject({
      properties: { agent: { enum: ['writer', 'reviewer'] } },
      required: ['agent', 'message'],
    });
  });
});

describe('createToolRegistry', () => {
  const registry = createToolRegistry(createBuiltInTools());

  it('holds every built-in tool under its name', () => {
    expect(registry.list().map((tool) => tool.name)).toEqual([...BUILT_IN_TOOL_NAMES]);
    expect(registry.get('calculator')).toBe(calculatorTool);
    expect(registry.get('eval')).toBeUndefined();
  });

  it('gives specs for the tools an agent may use, and refuses unknown names', () => {
    expect(registry.specs(['calculator', 'current_time']).map((spec) => spec.name)).toEqual([
      'calculator',
      'current_time',
    ]);
    expect(() => registry.specs(['shell'])).toThrow(/no tool named "shell"/);
    expect(() => registry.getOrThrow('shell')).toThrow(
      expect.objectContaining({ code: 'unknown_tool' }),
    );
  });

  it('refuses two tools with one name', () => {
    expect(() => createToolRegistry([calculatorTool, calculatorTool])).toThrow(/Duplicate/);
  });
});

describe('runTool', () => {
  it('refuses arguments that do not match the schema, listing the problems', async () => {
    const { context, cleanup } = await createTestToolContext();
    try {
      await expect(runTool(calculatorTool, { expr: '1+1' }, context)).rejects.toMatchObject({
        code: 'invalid_arguments',
        message: expect.stringContaining('expression') as unknown,
      });
      await expect(runTool(calculatorTool, 'not an object', context)).rejects.toMatchObject({
        code: 'invalid_arguments',
      });
    } finally {
      await cleanup();
    }
  });
});
