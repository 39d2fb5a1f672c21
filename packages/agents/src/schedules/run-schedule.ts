import { getSchedule, markScheduleRun, type Run } from '@switchyard/database';
import type { RunServiceDeps } from '../engine/engine-deps';
import { createRun, type CreateRunSettings } from '../runs/create-run';

export type RunScheduleResult = { runId: string } | { skipped: 'not_found' | 'paused' };

/**
 * What a `scheduled-run` job does: starts a run of the schedule's target, as the schedule's
 * creator, unless the schedule was deleted or paused since the job was enqueued.
 */
export async function runSchedule(
  params: { orgId: string; scheduleId: string; firedAt?: Date },
  deps: RunServiceDeps & { settings: CreateRunSettings },
): Promise<RunScheduleResult> {
  const schedule = await getSchedule(deps.db, params);
  if (!schedule) return { skipped: 'not_found' };
  if (schedule.paused) return { skipped: 'paused' };
  const { target } = schedule;
  const { run }: { run: Run } = await createRun(
    {
      orgId: schedule.orgId,
      actor: { userId: schedule.createdBy },
      scheduleId: schedule.id,
      ...(target.priority === undefined ? {} : { priority: target.priority }),
      input: {
        target:
          target.kind === 'agent'
            ? { kind: 'agent', agentId: target.id }
            : { kind: 'team', teamId: target.id },
        input: target.input,
        budget: target.budget ?? {},
      },
    },
    deps,
  );
  await markScheduleRun(deps.db, {
    orgId: schedule.orgId,
    scheduleId: schedule.id,
    at: params.firedAt ?? new Date(),
  });
  return { runId: run.id };
}
