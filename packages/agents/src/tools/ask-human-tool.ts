import { z } from 'zod';
import { defineTool } from './types';

export const askHumanArgumentsSchema = z.object({
  question: z.string().min(1).max(4000).describe('What to ask the person overseeing this run'),
});

/**
 * `ask_human`: parks the run for a person's answer (`needsApproval`). The engine creates the
 * approval; on approval it runs the tool with the answer in `context.approval`, which this
 * returns to the model.
 */
export const askHumanTool = defineTool({
  name: 'ask_human',
  description: 'Ask the person overseeing this run a question and wait for the answer.',
  parameters: askHumanArgumentsSchema,
  sideEffects: false,
  needsApproval: true,
  async execute({ question }, context) {
    return { question, answer: context.approval?.answer ?? null };
  },
});
