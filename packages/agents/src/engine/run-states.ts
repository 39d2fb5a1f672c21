import type { RunStatus, StepKind } from '@switchyard/database';

/** Run statuses in which steps may still be claimed and make progress. */
export const ACTIVE_RUN_STATUSES = [
  'queued',
  'running',
  'waiting_for_approval',
] as const satisfies readonly RunStatus[];

export function isRunActive(status: RunStatus): boolean {
  return (ACTIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** Step kinds that workers execute (the others are records of their work). */
export const EXECUTABLE_STEP_KINDS = [
  'plan',
  'agent_turn',
  'synthesis',
] as const satisfies readonly StepKind[];

export function isExecutableStep(kind: StepKind): boolean {
  return (EXECUTABLE_STEP_KINDS as readonly StepKind[]).includes(kind);
}
