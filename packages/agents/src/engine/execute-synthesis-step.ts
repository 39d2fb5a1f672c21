import { buildSynthesisMessages, outputText } from './build-step-messages';
import { runConversation } from './conversation';
import { loadStepAgent } from './load-step-agents';
import { succeededDependencies, type StepContext } from './step-context';
import { PermanentStepError } from './step-errors';
import type { StepWork } from './step-work';

/** The supervisor's last step: the planner combines every subtask's result into the answer. */
export async function executeSynthesisStep(context: StepContext): Promise<StepWork> {
  const planner = await loadStepAgent(context);
  const result = await runConversation(context, {
    agent: planner,
    tools: new Map(),
    deferFinalCall: true,
    buildMessages: async () => {
      const finished = await succeededDependencies(context);
      const results = finished.map((step) => ({
        label: [step.input.subtaskId, step.input.agent].filter(Boolean).join(' — ') || step.id,
        text: outputText(step.output),
      }));
      return buildSynthesisMessages({ planner, task: context.run.input, results });
    },
  });
  if (result.kind !== 'answer') {
    throw new PermanentStepError({
      code: 'invalid_output',
      message: 'The synthesis did not answer.',
    });
  }
  return {
    kind: 'succeeded',
    output: { text: result.text },
    ...(result.finalCall ? { finalCall: result.finalCall } : {}),
  };
}
