import { getAgent, getTeam, insertSchedule, type Schedule } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import type { ScheduleServiceDeps } from './schedule-deps';
import { createScheduleSchema, type CreateScheduleInput } from './schedule-schemas';

/**
 * Creates a schedule of the org and, unless it starts paused, its BullMQ job scheduler. The
 * target agent or team must exist in the org.
 */
export async function createSchedule(
  params: { orgId: string; actor: AuditActor; input: CreateScheduleInput },
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  const input = parseInput(createScheduleSchema, params.input);
  const targetId = input.target.kind === 'agent' ? input.target.agentId : input.target.teamId;
  const schedule = await deps.db.transaction(async (tx) => {
    const found =
      input.target.kind === 'agent'
        ? await getAgent(tx, { orgId: params.orgId, agentId: targetId })
        : await getTeam(tx, { orgId: params.orgId, teamId: targetId });
    if (!found) {
      throw new AppError('NOT_FOUND', {
        message: input.target.kind === 'agent' ? 'Agent not found.' : 'Team not found.',
      });
    }
    const schedule = await insertSchedule(tx, {
      orgId: params.orgId,
      createdBy: params.actor.userId,
      name: input.name,
      cron: input.cron,
      timezone: input.timezone,
      paused: input.paused,
      target: {
        kind: input.target.kind,
        id: targetId,
        input: input.input,
        ...(input.budget ? { budget: input.budget } : {}),
        ...(input.priority === undefined ? {} : { priority: input.priority }),
      },
    });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'schedule.created',
      targetType: 'schedule',
      targetId: schedule.id,
      metadata: { name: schedule.name, cron: schedule.cron, timezone: schedule.timezone },
    });
    return schedule;
  });
  if (!schedule.paused) await deps.schedules.upsertSchedule(schedule);
  return schedule;
}
