import type { Step } from '@/lib/api/runtime-schemas';

export type StepNode = { step: Step; children: StepNode[] };

/**
 * The run's steps as a tree: top-level steps (plan, agent turns or subtasks, synthesis) in
 * creation order, each with the model calls, tool calls and approvals it made beneath it.
 * A step whose parent is unknown is shown at the top level rather than dropped.
 */
export function buildStepTree(steps: readonly Step[]): StepNode[] {
  const nodes = new Map<string, StepNode>();
  for (const step of steps) nodes.set(step.id, { step, children: [] });
  const roots: StepNode[] = [];
  for (const step of steps) {
    const node = nodes.get(step.id);
    if (!node) continue;
    const parent = step.parentStepId ? nodes.get(step.parentStepId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Approval steps a person still has to decide, oldest first. */
export function findWaitingApprovals(steps: readonly Step[]): Step[] {
  return steps.filter((step) => step.kind === 'approval' && step.status === 'waiting_for_approval');
}
