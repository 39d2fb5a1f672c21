import type { FieldError } from '@switchyard/shared';
import { planSchema, type Plan, type PlanSubtask } from './plan-schema';

/** A team member a plan may assign work to. */
export type PlanMember = { agentId: string; version: number; name: string };

export type ValidatedSubtask = PlanSubtask & { member: PlanMember };

export type PlanValidation =
  | {
      ok: true;
      plan: Plan;
      /** The subtasks in an order where every subtask comes after its dependencies. */
      subtasks: ValidatedSubtask[];
    }
  | { ok: false; errors: FieldError[] };

/**
 * Checks a planner's answer before anything runs: the shape (zod), unique ids, agents that are
 * members of the team, dependencies that exist, and no cycles.
 */
export function validatePlan(raw: unknown, members: readonly PlanMember[]): PlanValidation {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(plan)',
        message: issue.message,
      })),
    };
  }
  const plan = parsed.data;
  const errors: FieldError[] = [];
  const byId = new Map<string, ValidatedSubtask>();

  plan.subtasks.forEach((subtask, index) => {
    if (byId.has(subtask.id)) {
      errors.push({
        path: `subtasks.${index}.id`,
        message: `duplicate subtask id "${subtask.id}"`,
      });
      return;
    }
    const member = findMember(members, subtask.agent);
    if (!member) {
      errors.push({
        path: `subtasks.${index}.agent`,
        message: `"${subtask.agent}" is not an agent of this team`,
      });
      return;
    }
    byId.set(subtask.id, { ...subtask, member });
  });
  plan.subtasks.forEach((subtask, index) => {
    subtask.dependsOn.forEach((dependency, position) => {
      const path = `subtasks.${index}.dependsOn.${position}`;
      if (dependency === subtask.id)
        errors.push({ path, message: 'a subtask cannot depend on itself' });
      else if (!plan.subtasks.some((other) => other.id === dependency)) {
        errors.push({ path, message: `unknown subtask id "${dependency}"` });
      }
    });
  });
  if (errors.length > 0) return { ok: false, errors };

  const ordered = topologicalOrder([...byId.values()]);
  if (!ordered) {
    return { ok: false, errors: [{ path: 'subtasks', message: 'the dependencies form a cycle' }] };
  }
  return { ok: true, plan, subtasks: ordered };
}

function findMember(members: readonly PlanMember[], agent: string): PlanMember | undefined {
  const wanted = agent.trim().toLowerCase();
  return (
    members.find((member) => member.agentId.toLowerCase() === wanted) ??
    members.find((member) => member.name.trim().toLowerCase() === wanted)
  );
}

/** Kahn's algorithm, keeping the plan's order among ready subtasks; null on a cycle. */
function topologicalOrder(subtasks: ValidatedSubtask[]): ValidatedSubtask[] | null {
  const remaining = new Map(subtasks.map((subtask) => [subtask.id, new Set(subtask.dependsOn)]));
  const ordered: ValidatedSubtask[] = [];
  while (ordered.length < subtasks.length) {
    const ready = subtasks.filter(
      (subtask) => remaining.get(subtask.id)?.size === 0 && !ordered.includes(subtask),
    );
    if (ready.length === 0) return null;
    for (const subtask of ready) {
      ordered.push(subtask);
      for (const dependencies of remaining.values()) dependencies.delete(subtask.id);
    }
  }
  return ordered;
}
