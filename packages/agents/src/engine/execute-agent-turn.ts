import type { AgentVersion } from '@switchyard/database';
import { z } from 'zod';
import { parsePlanText } from '../plans/parse-plan-text';
import { createHandoffTool } from '../tools/handoff-tool';
import type { Tool } from '../tools/types';
import { buildTurnMessages, outputText } from './build-step-messages';
import { runConversation } from './conversation';
import { loadStepAgent, loadTeamMembers } from './load-step-agents';
import { changeClaimedStep, succeededDependencies, type StepContext } from './step-context';
import { PermanentStepError } from './step-errors';
import type { StepWork } from './step-work';
import { HANDOFF_TOOL_NAME } from './strategies/read-handoff';
import { handoffFollowUp } from './strategies/handoff-follow-up';

/**
 * One agent's turn: the agent loop with its allowed tools (plus the handoff tool in a handoff
 * team), building on the results of the steps it depends on.
 */
export async function executeAgentTurn(context: StepContext): Promise<StepWork> {
  const { step, run, deps } = context;
  const agent = await loadStepAgent(context);
  const tools = new Map<string, Tool>();
  for (const name of agent.tools) {
    const tool = deps.tools.get(name);
    if (tool && name !== HANDOFF_TOOL_NAME) tools.set(name, tool);
    else if (!tool)
      context.log.warn({ tool: name }, 'agent names a tool this server does not have');
  }
  const handoffs = typeof step.input.handoffs === 'number' ? step.input.handoffs : 0;
  const members = run.teamSnapshot?.strategy === 'handoff' ? await loadTeamMembers(context) : [];
  const targets = members.filter((member) => member.agentId !== step.agentId);
  // Past the run's hand-off limit the tool is withdrawn: the agent has to answer itself.
  if (targets.length > 0 && handoffs < deps.settings.maxHandoffs) {
    tools.set(
      HANDOFF_TOOL_NAME,
      createHandoffTool({ agents: targets.map((member) => member.name) }),
    );
  }

  const result = await runConversation(context, {
    agent,
    tools,
    deferFinalCall: true,
    buildMessages: async () => {
      const finished = await succeededDependencies(context);
      const prior = finished.map((other) => ({
        label:
          [other.input.subtaskId, other.input.agent].filter(Boolean).join(' — ') || 'Earlier step',
        text: outputText(other.output),
      }));
      return buildTurnMessages({ agent, run, step, prior });
    },
  });

  if (result.kind === 'parked') return result;
  if (result.kind === 'handoff') {
    const target = members.find(
      (member) => member.name.toLowerCase() === result.handoff.agent.toLowerCase(),
    );
    if (!target) {
      throw new PermanentStepError({
        code: 'invalid_handoff',
        message: `"${result.handoff.agent}" is not an agent of this team.`,
      });
    }
    const from = members.find((member) => member.agentId === step.agentId);
    return {
      kind: 'succeeded',
      output: {
        text:
          result.checkpoint.messages.findLast((message) => message.role === 'assistant')?.content ??
          '',
        handoff: { agent: target.name, agentId: target.agentId, message: result.handoff.message },
      },
      followUp: handoffFollowUp({
        target,
        from: { agentId: step.agentId, name: from?.name ?? 'Another agent' },
        message: result.handoff.message,
        handoffs: handoffs + 1,
      }),
    };
  }
  let structured: { data?: unknown };
  try {
    structured = structuredOutput(agent, result.text);
  } catch (error) {
    // The answer is refused, but the call was made: store it (usage, cost) before the step fails.
    if (result.finalCall) {
      await changeClaimedStep(context, result.finalCall.values, result.finalCall.record);
    }
    throw error;
  }
  return {
    kind: 'succeeded',
    output: { text: result.text, ...structured },
    ...(result.finalCall ? { finalCall: result.finalCall } : {}),
  };
}

/** With an output schema, the answer must be JSON matching it; it is returned as `data`. */
function structuredOutput(agent: AgentVersion, text: string): { data?: unknown } {
  if (!agent.outputSchema) return {};
  const data = parsePlanText(text);
  let schema: z.ZodType;
  try {
    schema = z.fromJSONSchema(agent.outputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return data === undefined ? {} : { data };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentStepError({
      code: 'invalid_output',
      message: "The agent's answer does not match its output schema.",
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(answer)',
        message: issue.message,
      })),
    });
  }
  return { data: parsed.data };
}
