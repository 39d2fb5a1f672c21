import { recordRunChange } from '../events/record-run-change';
import type { StepContext } from './step-context';

/** Stores streamed text as `model.delta` events, batched to at most one per `deltaFlushMs`. */
export function createDeltaRecorder(context: StepContext) {
  const { step, deps } = context;
  let buffer = '';
  let lastFlush = Date.now();
  let chain: Promise<void> = Promise.resolve();
  const flush = (text: string) => {
    chain = chain
      .then(async () => {
        await recordRunChange(deps, { orgId: step.orgId, runId: step.runId }, async ({ emit }) => {
          emit('model.delta', { stepId: step.id, text });
        });
      })
      .catch((error: unknown) => context.log.warn({ err: error }, 'storing streamed text failed'));
  };
  return {
    push: (text: string) => {
      buffer += text;
      if (Date.now() - lastFlush < deps.settings.deltaFlushMs) return;
      lastFlush = Date.now();
      const pending = buffer;
      buffer = '';
      flush(pending);
    },
    /** Waits for stored batches; resolves the text not stored yet (stored with the answer). */
    async drain(): Promise<string> {
      await chain;
      const rest = buffer;
      buffer = '';
      return rest;
    },
  };
}
