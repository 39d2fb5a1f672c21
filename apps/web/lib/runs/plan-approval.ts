/** A supervisor plan's approval step, as its `input` describes it (see the api's docs). */
export type PlanApproval =
  | { kind: 'plan'; subtasks: PlannedSubtask[] }
  | { kind: 'plan_subtask'; subtaskId: string; agent: string; task: string };

export type PlannedSubtask = { id: string; agent: string; task: string; dependsOn: string[] };

/** The plan approval of an approval step's input, or null for a tool call's approval. */
export function readPlanApproval(input: Record<string, unknown>): PlanApproval | null {
  if (input.kind === 'plan_subtask') {
    return {
      kind: 'plan_subtask',
      subtaskId: String(input.subtaskId ?? ''),
      agent: String(input.agent ?? ''),
      task: String(input.task ?? ''),
    };
  }
  if (input.kind !== 'plan' || !Array.isArray(input.subtasks)) return null;
  const subtasks = input.subtasks.flatMap((entry: unknown): PlannedSubtask[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const record = entry as Record<string, unknown>;
    return [
      {
        id: String(record.id ?? ''),
        agent: String(record.agent ?? ''),
        task: String(record.task ?? ''),
        dependsOn: Array.isArray(record.dependsOn) ? record.dependsOn.map(String) : [],
      },
    ];
  });
  return { kind: 'plan', subtasks };
}

/**
 * The approve request's `arguments` for the tasks a person edited: `{ task }` for one subtask,
 * `{ subtasks: [{ id, task }] }` (only the changed ones) for a plan; undefined when nothing
 * changed, so the plan runs as proposed.
 */
export function buildPlanEdits(
  approval: PlanApproval,
  tasks: Record<string, string>,
): { task: string } | { subtasks: { id: string; task: string }[] } | undefined {
  if (approval.kind === 'plan_subtask') {
    const task = tasks[approval.subtaskId]?.trim();
    return task && task !== approval.task.trim() ? { task } : undefined;
  }
  const subtasks = approval.subtasks.flatMap((subtask) => {
    const task = tasks[subtask.id]?.trim();
    return task && task !== subtask.task.trim() ? [{ id: subtask.id, task }] : [];
  });
  return subtasks.length > 0 ? { subtasks } : undefined;
}
