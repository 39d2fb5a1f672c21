import { updateRun, updateRunSteps, type Run, type RunError } from '@switchyard/database';
import type { RunChangeContext } from '../events/record-run-change';
import { ACTIVE_RUN_STATUSES } from './run-states';

export type EndRunParams = {
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: Record<string, unknown> | null;
  error?: RunError | null;
  /** Why the run ended early: `budget_exceeded`, `cancelled`, `approval_rejected`, ... */
  stopReason?: string | null;
  /** The caller saw no step pending, queued, running or waiting: nothing to skip or cancel. */
  stepsSettled?: boolean;
};

/**
 * Ends a live run inside its change transaction: steps that had not started are skipped, steps
 * queued, running or waiting are cancelled (their claims end, so their workers' next write is
 * refused), and the run records its outcome. Resolves null when the run had already ended.
 */
export async function endRun(context: RunChangeContext, params: EndRunParams): Promise<Run | null> {
  const { tx, run, emit } = context;
  const key = { orgId: run.orgId, runId: run.id };
  const now = new Date();
  if (!params.stepsSettled) {
    await updateRunSteps(tx, { ...key, statuses: ['pending'], values: { status: 'skipped' } });
    await updateRunSteps(tx, {
      ...key,
      statuses: ['queued', 'running', 'waiting_for_approval'],
      values: {
        status: 'cancelled',
        finishedAt: now,
        claimToken: null,
        claimedBy: null,
        leaseExpiresAt: null,
      },
    });
  }
  const ended = await updateRun(tx, {
    ...key,
    statuses: ACTIVE_RUN_STATUSES,
    values: {
      status: params.status,
      finishedAt: now,
      result: params.result ?? null,
      error: params.error ?? null,
      stopReason: params.stopReason ?? null,
    },
  });
  if (ended) {
    emit(`run.${params.status}`, {
      status: params.status,
      ...(params.stopReason ? { stopReason: params.stopReason } : {}),
      ...(params.error ? { error: params.error } : {}),
      usage: {
        inputTokens: ended.inputTokens,
        outputTokens: ended.outputTokens,
        costMicros: ended.costMicros,
        steps: ended.stepCount,
      },
    });
  }
  return ended;
}
