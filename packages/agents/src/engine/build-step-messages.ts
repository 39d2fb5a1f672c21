import type { AgentVersion, Run, Step } from '@switchyard/database';
import { formatAgentRoster, type ChatMessage } from '../providers';

/** A finished step's output, labelled for another agent to read. */
export type PriorResult = { label: string; text: string };

const PLANNER_GUIDE = [
  'You are the planner of a team of agents. Split the task into subtasks for the agents listed below.',
  'Answer with JSON only, in this shape:',
  '{"subtasks": [{"id": "s1", "agent": "<agent name>", "task": "<what to do>", "dependsOn": []}]}',
  'Ids are unique; "dependsOn" lists the ids of subtasks whose results this one needs; subtasks',
  'without dependencies run in parallel. Use at most 20 subtasks and only the agents listed.',
  'Add "needsApproval": true to a subtask a person should approve before it runs (one that',
  'sends, publishes, pays or deletes something).',
].join('\n');

/** The planner's opening messages: its instructions, the guide, the roster, then the task. */
export function buildPlannerMessages(params: {
  planner: AgentVersion;
  roster: { name: string; instructions: string }[];
  task: string;
}): ChatMessage[] {
  const roster = formatAgentRoster(
    params.roster.map((member) => ({
      name: member.name,
      description: summarize(member.instructions),
    })),
  );
  return [
    { role: 'system', content: `${params.planner.instructions}\n\n${PLANNER_GUIDE}\n\n${roster}` },
    { role: 'user', content: params.task },
  ];
}

/**
 * An agent turn's opening messages. The task comes last, as the user message; the run's task and
 * the results this turn builds on go with the instructions.
 */
export function buildTurnMessages(params: {
  agent: AgentVersion;
  run: Pick<Run, 'input' | 'targetKind'>;
  step: Pick<Step, 'input'>;
  prior: PriorResult[];
}): ChatMessage[] {
  const task =
    typeof params.step.input.task === 'string' ? params.step.input.task : params.run.input;
  const context: string[] = [];
  if (params.run.targetKind === 'team') {
    context.push(`You are one agent of a team working on this task:\n${params.run.input}`);
  }
  const from = params.step.input.handoffFrom;
  if (
    typeof from === 'object' &&
    from !== null &&
    'name' in from &&
    typeof from.name === 'string'
  ) {
    context.push(`${from.name} handed this task over to you.`);
  }
  if (params.prior.length > 0) context.push(formatResults('Results so far', params.prior));
  const system = [params.agent.instructions, ...context].join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: task },
  ];
}

/** The synthesis step's opening messages: combine the results of every part into one answer. */
export function buildSynthesisMessages(params: {
  planner: AgentVersion;
  task: string;
  results: PriorResult[];
}): ChatMessage[] {
  const system = [
    params.planner.instructions,
    // Never the word "subtasks" here: the offline scripted model reads it as a planning request.
    'Your team has finished its parts of the task below. Combine their results into the final answer.',
    formatResults('Results of each part', params.results),
  ].join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: params.task },
  ];
}

function formatResults(heading: string, results: PriorResult[]): string {
  return [`${heading}:`, ...results.map((result) => `### ${result.label}\n${result.text}`)].join(
    '\n\n',
  );
}

function summarize(instructions: string): string {
  const line = instructions.split('\n').find((entry) => entry.trim().length > 0) ?? '';
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

/** The text of a finished step's output. */
export function outputText(output: Record<string, unknown> | null): string {
  if (!output) return '';
  if (typeof output.text === 'string') return output.text;
  return JSON.stringify(output);
}
