import type { AuditActor } from '../agents/audit-actor';
import { recordAudit } from '../agents/audit-actor';
import { describeQueue, type QueueSummary } from './describe-queue';
import { getQueueOrThrow, type QueueAdminDeps } from './queue-admin-deps';

type SetPausedParams = { name: string; actor: AuditActor };

/** Stops every worker taking new jobs of the queue (active ones finish). Idempotent. */
export async function pauseQueue(
  params: SetPausedParams,
  deps: QueueAdminDeps,
): Promise<QueueSummary> {
  return setPaused(params, true, deps);
}

/** Lets the workers take jobs of a paused queue again. Idempotent. */
export async function resumeQueue(
  params: SetPausedParams,
  deps: QueueAdminDeps,
): Promise<QueueSummary> {
  return setPaused(params, false, deps);
}

async function setPaused(
  params: SetPausedParams,
  paused: boolean,
  deps: QueueAdminDeps,
): Promise<QueueSummary> {
  const queue = getQueueOrThrow(deps, params.name);
  if (paused) await queue.pause();
  else await queue.resume();
  await recordAudit(deps.db, {
    orgId: null,
    actor: params.actor,
    action: paused ? 'queue.paused' : 'queue.resumed',
    targetType: 'queue',
    targetId: queue.name,
  });
  return describeQueue(queue);
}
