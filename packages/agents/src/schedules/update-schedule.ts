import {
  getAgent,
  getSchedule,
  getTeam,
  updateSchedule as updateScheduleRow,
  type Schedule,
  type ScheduleTarget,
} from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import { recordAudit, type AuditActor } from '../agents/audit-actor';
import { parseInput } from '../agents/parse-input';
import type { ScheduleServiceDeps } from './schedule-deps';
import {
  checkCronPattern,
  updateScheduleSchema,
  type UpdateScheduleInput,
} from './schedule-schemas';

/**
 * Changes a schedule of the org (name, pattern, time zone, target, input, budget, priority) and,
 * unless it is paused, re-registers its job scheduler with the new pattern. A new target must
 * exist in the org, and the pattern must suit the resulting time zone.
 */
export async function updateSchedule(
  params: { orgId: string; scheduleId: string; actor: AuditActor; input: UpdateScheduleInput },
  deps: ScheduleServiceDeps,
): Promise<Schedule> {
  const input = parseInput(updateScheduleSchema, params.input);
  const schedule = await deps.db.transaction(async (tx) => {
    const current = await getSchedule(tx, params);
    if (!current) throw new AppError('NOT_FOUND', { message: 'Schedule not found.' });
    const cron = input.cron ?? current.cron;
    const timezone = input.timezone ?? current.timezone;
    const problem =
      input.cron === undefined && input.timezone === undefined
        ? null
        : checkCronPattern(cron, timezone);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'The request is not valid.',
        details: { errors: [{ path: 'cron', message: problem }] },
      });
    }
    let { kind, id } = current.target;
    if (input.target) {
      kind = input.target.kind;
      id = input.target.kind === 'agent' ? input.target.agentId : input.target.teamId;
      const found =
        kind === 'agent'
          ? await getAgent(tx, { orgId: params.orgId, agentId: id })
          : await getTeam(tx, { orgId: params.orgId, teamId: id });
      if (!found) {
        throw new AppError('NOT_FOUND', {
          message: kind === 'agent' ? 'Agent not found.' : 'Team not found.',
        });
      }
    }
    const { budget: oldBudget, priority: oldPriority } = current.target;
    const budget = input.budget === undefined ? oldBudget : (input.budget ?? undefined);
    const priority = input.priority === undefined ? oldPriority : (input.priority ?? undefined);
    const target: ScheduleTarget = {
      kind,
      id,
      input: input.input ?? current.target.input,
      ...(budget ? { budget } : {}),
      ...(priority === undefined ? {} : { priority }),
    };
    const updated = await updateScheduleRow(tx, {
      orgId: params.orgId,
      scheduleId: params.scheduleId,
      name: input.name ?? current.name,
      cron,
      timezone,
      target,
    });
    if (!updated) throw new AppError('NOT_FOUND', { message: 'Schedule not found.' });
    await recordAudit(tx, {
      orgId: params.orgId,
      actor: params.actor,
      action: 'schedule.updated',
      targetType: 'schedule',
      targetId: updated.id,
      metadata: { name: updated.name, changed: Object.keys(input).sort() },
    });
    return updated;
  });
  if (!schedule.paused) await deps.schedules.upsertSchedule(schedule);
  return schedule;
}
