import { AppError, type FieldError } from '@switchyard/shared';
import { BUILT_IN_TOOL_NAMES, type ToolRegistry } from '../tools/tool-registry';

/**
 * Refuses tool names this server does not have (422): the tools of `registry` when given (the
 * registry workers execute with), else the built-in tools. `handoff` is only used by handoff
 * teams, where the engine gives it to every member anyway.
 */
export function assertKnownTools(
  tools: readonly string[],
  registry?: Pick<ToolRegistry, 'get'>,
): void {
  const builtIn: readonly string[] = BUILT_IN_TOOL_NAMES;
  const isKnown = (name: string) =>
    registry ? registry.get(name) !== undefined : builtIn.includes(name);
  const errors: FieldError[] = tools.flatMap((tool, index) =>
    isKnown(tool)
      ? []
      : [{ path: `tools.${index}`, message: `"${tool}" is not a tool of this server` }],
  );
  if (errors.length > 0) {
    throw new AppError('UNPROCESSABLE', {
      message: 'The agent names unknown tools.',
      details: { errors },
    });
  }
}
