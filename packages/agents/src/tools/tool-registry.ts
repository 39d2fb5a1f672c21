import { z } from 'zod';
import type { ToolSpec } from '../providers/types';
import { askHumanTool } from './ask-human-tool';
import { calculatorTool } from './calculator-tool';
import { createCurrentTimeTool, type CurrentTimeToolOptions } from './current-time-tool';
import { readFileTool, writeFileTool } from './file-tools';
import { handoffTool } from './handoff-tool';
import { createHttpFetchTool, type HttpFetchToolOptions } from './http-fetch/http-fetch-tool';
import { ToolError } from './tool-error';
import type { Tool, ToolContext } from './types';

/** Names of the built-in tools, as agents list them in their `tools`. */
export const BUILT_IN_TOOL_NAMES = [
  'http_fetch',
  'calculator',
  'current_time',
  'read_file',
  'write_file',
  'ask_human',
  'handoff',
] as const;
export type BuiltInToolName = (typeof BUILT_IN_TOOL_NAMES)[number];
export const builtInToolNameSchema = z.enum(BUILT_IN_TOOL_NAMES);

/** The tool as the model sees it: name, description and JSON Schema of its arguments. */
export function toToolSpec(tool: Tool): ToolSpec {
  // The model fills in the arguments, so describe what may be sent (defaults optional).
  const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.parameters, { io: 'input' });
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * Validates `rawArguments` against the tool's schema, then runs it. Invalid arguments become a
 * `ToolError('invalid_arguments')` listing the problems, for the model to correct.
 */
export async function runTool(
  tool: Tool,
  rawArguments: unknown,
  context: ToolContext,
): Promise<unknown> {
  const parsed = tool.parameters.safeParse(rawArguments);
  if (!parsed.success) {
    throw new ToolError(
      'invalid_arguments',
      `Invalid arguments for ${tool.name}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return tool.execute(parsed.data, context);
}

export type ToolRegistry = {
  get(name: string): Tool | undefined;
  /** The tool, or `ToolError('unknown_tool')`: a model may name a tool it was not given. */
  getOrThrow(name: string): Tool;
  list(): Tool[];
  /** Specs for the model, for the given names (all tools when omitted); unknown names throw. */
  specs(names?: readonly string[]): ToolSpec[];
};

export function createToolRegistry(tools: readonly Tool[]): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Duplicate tool name "${tool.name}"`);
    byName.set(tool.name, tool);
  }
  const getOrThrow = (name: string) => {
    const tool = byName.get(name);
    if (!tool) throw new ToolError('unknown_tool', `There is no tool named "${name}"`);
    return tool;
  };
  return {
    get: (name) => byName.get(name),
    getOrThrow,
    list: () => [...byName.values()],
    specs: (names) => (names ?? [...byName.keys()]).map((name) => toToolSpec(getOrThrow(name))),
  };
}

/** Options for {@link createBuiltInTools}. */
export type BuiltInToolsOptions = {
  httpFetch?: HttpFetchToolOptions;
  currentTime?: CurrentTimeToolOptions;
};

/** Every built-in tool, in {@link BUILT_IN_TOOL_NAMES} order. */
export function createBuiltInTools(options: BuiltInToolsOptions = {}): Tool[] {
  return [
    createHttpFetchTool(options.httpFetch),
    calculatorTool,
    createCurrentTimeTool(options.currentTime),
    readFileTool,
    writeFileTool,
    askHumanTool,
    handoffTool,
  ];
}
