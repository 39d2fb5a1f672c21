import { extendStepLease, touchRunHeartbeat } from '@switchyard/database';
import type { Logger } from '@switchyard/shared';
import type { EngineDeps } from './engine-deps';

/** Reason given to a step's AbortController when its claim was taken away. */
export const LOST_CLAIM = 'lost_claim';

/**
 * Renews a running step's lease (and its org concurrency slot, and the run's heartbeat) every
 * `heartbeatMs`. When the claim turns out to be gone, calls `onLost` once so the work stops.
 */
export function startHeartbeat(params: {
  deps: EngineDeps;
  step: { id: string; orgId: string; runId: string };
  claimToken: string;
  log: Pick<Logger, 'warn'>;
  onLost: () => void;
}): { stop: () => void } {
  const { deps, step } = params;
  const leaseMs = deps.settings.leaseMs;
  const everyMs = deps.settings.heartbeatMs ?? Math.max(Math.floor(leaseMs / 3), 10);
  let stopped = false;
  let beating = false;
  const beat = async () => {
    if (stopped || beating) return;
    beating = true;
    try {
      const held = await extendStepLease(deps.db, {
        orgId: step.orgId,
        stepId: step.id,
        claimToken: params.claimToken,
        leaseMs,
      });
      if (!held) {
        if (!stopped) params.onLost();
        return;
      }
      await touchRunHeartbeat(deps.db, { orgId: step.orgId, runId: step.runId });
      await deps.orgConcurrency?.refresh(step.orgId, step.id);
    } catch (error) {
      // Postgres or Redis away: keep trying; if the lease runs out meanwhile, another worker may
      // take the step over and this one's next write is refused.
      params.log.warn({ err: error, stepId: step.id }, 'step heartbeat failed');
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
