import type { Step } from '@switchyard/database';
import type { RunChangeContext } from '../events/record-run-change';
import type { DeferredModelCall } from './call-model';

/** What executing a step produced. */
export type StepWork =
  | {
      kind: 'succeeded';
      output: Record<string, unknown>;
      /** Runs in the transaction that marks the step succeeded (new steps, events). */
      followUp?: (change: RunChangeContext & { step: Step }) => Promise<void>;
      /** The model call that gave the answer, stored first in that same transaction. */
      finalCall?: DeferredModelCall;
    }
  /** Waiting for a person; the step no longer holds a worker. */
  | { kind: 'parked' };
