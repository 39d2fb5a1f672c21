import { z } from 'zod';
import { getStep, updateStep, type DatabaseExecutor } from '@switchyard/database';
import { AppError } from '@switchyard/shared';
import type { PlanApprovalInput } from '../engine/plan-approvals';
import { planSubtaskSchema } from '../plans/plan-schema';

const subtaskEditSchema = z.object({ task: planSubtaskSchema.shape.task }).strict();
const planEditSchema = z
  .object({
    subtasks: z
      .array(
        z.object({ id: planSubtaskSchema.shape.id, task: planSubtaskSchema.shape.task }).strict(),
      )
      .min(1),
  })
  .strict();

/** The plan approval an approval step's input describes, or null for a tool call's approval. */
export function readPlanApproval(input: Record<string, unknown>): PlanApprovalInput | null {
  return input.kind === 'plan' || input.kind === 'plan_subtask'
    ? (input as PlanApprovalInput)
    : null;
}

/**
 * The subtask tasks an approver's edited `arguments` set, by step id: `{ task }` for one
 * subtask's approval, `{ subtasks: [{ id, task }] }` for a whole plan's. Only tasks change; the
 * plan's shape (agents, dependencies) stays as validated. Throws 400 on anything else.
 */
export function parsePlanEdits(approval: PlanApprovalInput, args: unknown): Map<string, string> {
  if (approval.kind === 'plan_subtask') {
    const parsed = subtaskEditSchema.safeParse(args);
    if (!parsed.success) throw invalidArguments(parsed.error.issues);
    return new Map([[approval.stepId, parsed.data.task]]);
  }
  const parsed = planEditSchema.safeParse(args);
  if (!parsed.success) throw invalidArguments(parsed.error.issues);
  const edits = new Map<string, string>();
  const errors: { path: string; message: string }[] = [];
  parsed.data.subtasks.forEach((edit, index) => {
    const subtask = approval.subtasks.find((each) => each.id === edit.id);
    if (subtask) edits.set(subtask.stepId, edit.task);
    else errors.push({ path: `arguments.subtasks.${index}.id`, message: 'no such subtask' });
  });
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The edited plan names subtasks it does not have.',
      details: { errors },
    });
  }
  return edits;
}

/** Replaces the task of subtasks that have not started; a started one is a 409. */
export async function editPlannedSubtasks(
  tx: DatabaseExecutor,
  params: { orgId: string; edits: Map<string, string> },
): Promise<void> {
  for (const [stepId, task] of params.edits) {
    const step = await getStep(tx, { orgId: params.orgId, stepId });
    const edited = step
      ? await updateStep(tx, {
          orgId: params.orgId,
          stepId,
          statuses: ['pending'],
          values: { input: { ...step.input, task, edited: true } },
        })
      : null;
    if (!edited) {
      throw new AppError('CONFLICT', { message: 'A subtask to edit has already started.' });
    }
  }
}

function invalidArguments(issues: z.core.$ZodIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: 'The edited arguments are not valid for this plan approval.',
    details: {
      errors: issues.map((issue) => ({
        path: ['arguments', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    },
  });
}
