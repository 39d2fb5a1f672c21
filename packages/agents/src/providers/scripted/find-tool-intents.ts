import type { ToolSpec } from '../types';

/** A tool call the task asks for, at `position` in the task text. */
export type ToolIntent = {
  tool: string;
  position: number;
  /** Arguments, given the results of the tools called before it. */
  buildArguments(previousResults: readonly { tool: string; result: string }[]): unknown;
};

const FILE_NAME = /\b[\w-]+(?:\/[\w-]+)*\.(?:txt|md|json|csv|html|log|yaml|yml)\b/;
const DEFAULT_FILE = 'output.md';
const URL_PATTERN = /https?:\/\/[^\s"'<>]+/;
// At least one operator between numbers or parentheses, e.g. "2+2", "(1.5 * 4) ^ 2", "-3 - 1".
const EXPRESSION = /[-(]*\s*\d+(?:\.\d+)?(?:\s*[-+*/^]\s*[-(]*\s*\d+(?:\.\d+)?\s*\)*)+/;

function balanceParentheses(expression: string): string {
  let text = expression.trim();
  const count = (char: string) => text.split(char).length - 1;
  while (count('(') > count(')') && text.startsWith('(')) text = text.slice(1).trim();
  while (count(')') > count('(') && text.endsWith(')')) text = text.slice(0, -1).trim();
  return text;
}

function enumOf(spec: ToolSpec, property: string): string[] | undefined {
  const properties = spec.parameters.properties;
  if (typeof properties !== 'object' || properties === null) return undefined;
  const schema = (properties as Record<string, unknown>)[property];
  if (typeof schema !== 'object' || schema === null || !('enum' in schema)) return undefined;
  return Array.isArray(schema.enum) ? schema.enum.map(String) : undefined;
}

type Matcher = (task: string, spec: ToolSpec) => Omit<ToolIntent, 'tool'> | null;

function at(match: RegExpExecArray | null, buildArguments: ToolIntent['buildArguments']) {
  return match ? { position: match.index, buildArguments } : null;
}

const MATCHERS: Record<string, Matcher> = {
  calculator: (task) => {
    const match = EXPRESSION.exec(task);
    return at(match, () => ({ expression: balanceParentheses(match?.[0] ?? '') }));
  },
  current_time: (task) =>
    at(
      /\b(?:current time|what time|time is it|current date|today'?s date|what day)\b/i.exec(task),
      () => ({}),
    ),
  http_fetch: (task) => {
    const match = URL_PATTERN.exec(task);
    return at(match, () => ({ url: (match?.[0] ?? '').replace(/[.,;:!?)]+$/, '') }));
  },
  write_file: (task) =>
    at(/\b(?:write|save|store)\b[^.!?\n]*?\bfile\b/i.exec(task), (previous) => ({
      path: FILE_NAME.exec(task)?.[0] ?? DEFAULT_FILE,
      content: [
        `# ${task.trim()}`,
        '',
        ...(previous.length > 0
          ? previous.map((entry) => `- ${entry.tool}: ${entry.result}`)
          : ['Written by the scripted model (offline).']),
        '',
      ].join('\n'),
    })),
  read_file: (task) =>
    at(/\b(?:read|open|load)\b[^.!?\n]*?\bfile\b/i.exec(task), () => ({
      path: FILE_NAME.exec(task)?.[0] ?? DEFAULT_FILE,
    })),
  ask_human: (task) =>
    at(/\b(?:ask (?:a |the )?(?:human|user|me)|approval|confirm with)\b/i.exec(task), () => ({
      question: task.trim(),
    })),
  handoff: (task, spec) => {
    const match = /\bhand(?:\s|-)?off to (?:the )?([\w-]+)/i.exec(task);
    const wanted = match?.[1];
    if (!match || !wanted) return null;
    const allowed = enumOf(spec, 'agent');
    const agent = allowed
      ? allowed.find((name) => name.toLowerCase() === wanted.toLowerCase())
      : wanted;
    if (!agent) return null;
    // The receiving agent gets the task without the hand-off phrase, so it does not hand back.
    const before = task
      .slice(0, match.index)
      .replace(/[\s,;:]*(?:\b(?:and|then)\b[\s,;:]*)*$/i, '');
    const after = task.slice(match.index + match[0].length).replace(/^[\s.,;:!?]+/, '');
    const message = [before, after].filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
    return at(match, () => ({ agent, message: message || task.trim() }));
  },
};

/** The tool calls `task` asks for among `tools`, in the order the task mentions them. */
export function findToolIntents(task: string, tools: readonly ToolSpec[]): ToolIntent[] {
  const intents: ToolIntent[] = [];
  for (const spec of tools) {
    const matcher = MATCHERS[spec.name];
    const intent = matcher?.(task, spec);
    if (intent) intents.push({ tool: spec.name, ...intent });
  }
  return intents.sort((a, b) => a.position - b.position);
}
