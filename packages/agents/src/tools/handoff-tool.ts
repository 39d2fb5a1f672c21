import { z } from 'zod';
import { defineTool } from './types';

/** What `handoff` returns: the engine passes control to `handoffTo` with `message`. */
export type HandoffResult = { handoffTo: string; message: string };

const message = z
  .string()
  .min(1)
  .max(8000)
  .describe('What the next agent needs to know to continue');

function buildHandoffTool(agent: z.ZodType<string>) {
  return defineTool({
    name: 'handoff',
    description: 'Pass the task to another agent of the team, with a message for it.',
    parameters: z.object({ agent: agent.describe('Name of the agent to hand off to'), message }),
    sideEffects: false,
    async execute(args): Promise<HandoffResult> {
      return { handoffTo: args.agent, message: args.message };
    },
  });
}

/** `handoff` to any agent name (the engine checks that it is a member of the team). */
export const handoffTool = buildHandoffTool(z.string().min(1).max(200));

/** `handoff` restricted to the given agents (the model sees them as an enum). */
export function createHandoffTool(options: { agents: readonly string[] }) {
  const [first, ...rest] = options.agents;
  if (first === undefined) return handoffTool;
  return buildHandoffTool(z.enum([first, ...rest]));
}
