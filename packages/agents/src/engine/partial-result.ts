import type { Step } from '@switchyard/database';
import { outputText } from './build-step-messages';
import { finalAnswer, readCheckpoint } from './conversation-checkpoint';

/**
 * What a stopped run had done: every finished step's text and, for the step that was stopped,
 * its last words so far.
 */
export function partialResult(
  steps: Step[],
  stoppedStepId: string | null,
): Record<string, unknown> {
  const outputs = steps.flatMap((step) => {
    const label = {
      stepId: step.id,
      kind: step.kind,
      ...(typeof step.input.subtaskId === 'string' ? { subtaskId: step.input.subtaskId } : {}),
      ...(typeof step.input.agent === 'string' ? { agent: step.input.agent } : {}),
    };
    if (step.status === 'succeeded' && step.kind !== 'plan' && !step.parentStepId) {
      return [{ ...label, text: outputText(step.output) }];
    }
    if (step.id === stoppedStepId) {
      const messages = readCheckpoint(step.checkpoint)?.messages ?? [];
      const text =
        finalAnswer(messages) ?? messages.findLast((m) => m.role === 'assistant')?.content;
      return text ? [{ ...label, text, unfinished: true }] : [];
    }
    return [];
  });
  return { partial: true, outputs };
}
